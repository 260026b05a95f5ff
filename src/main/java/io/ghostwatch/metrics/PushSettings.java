package io.ghostwatch.metrics;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Validated Pushgateway settings.
 *
 * @param authorization the whole {@code Authorization} header value (Basic or Bearer), never logged
 * @param caFile        PEM certificates to trust for https, besides the JVM's own trust store
 */
public record PushSettings(URI baseUrl, String job, Duration timeout, Optional<String> authorization,
                           Optional<Path> caFile) {

    /** scheme://host:port only: what error messages may show of the URL (it could carry credentials). */
    public String displayUrl() {
        return baseUrl.getScheme() + "://" + baseUrl.getHost() + (baseUrl.getPort() < 0 ? "" : ":" + baseUrl.getPort());
    }

    @Override
    public String toString() {
        return "PushSettings[" + displayUrl() + ", job=" + job + ", timeout=" + timeout + ", auth="
                + authorization.map(a -> a.substring(0, a.indexOf(' ')) + " ***").orElse("none") + "]";
    }
}
