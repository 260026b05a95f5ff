package io.ghostwatch.metrics;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * Pushes one run's series to a Pushgateway under the grouping key {@code job=<job>/target=<target>}.
 * A complete run replaces the group (PUT); a failed run only overwrites the series it has (POST), so the
 * previous {@code ghostwatch_last_success_timestamp_seconds} survives on the gateway and Prometheus can see how
 * long the CronJob has been failing.
 */
public final class PushgatewayClient {

    static final int ERROR_BODY_LIMIT = 4096;

    private final PushSettings settings;
    private final HttpClient http;

    public PushgatewayClient(PushSettings settings) throws PushFailedException {
        this.settings = settings;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(settings.timeout());
        if (settings.caFile().isPresent()) {
            builder.sslContext(trusting(settings));
        }
        this.http = builder.build();
    }

    public void push(String target, RunMetrics metrics) throws PushFailedException {
        URI uri = settings.baseUrl().resolve(
                stripTrailingSlash(settings.baseUrl().getPath()) + "/metrics/job/" + settings.job()
                        + "/target/" + target);
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.ofString(PrometheusText.render(metrics));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(settings.timeout())
                .header("Content-Type", PrometheusText.CONTENT_TYPE)
                .method(metrics.complete() ? "PUT" : "POST", body);
        settings.authorization().ifPresent(a -> request.header("Authorization", a));
        String where = "Pushgateway at " + settings.displayUrl();
        int status;
        String answer;
        try {
            HttpResponse<InputStream> response = http.send(request.build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            status = response.statusCode();
            answer = head(response.body()); // read (bounded) and closed either way, so the connection is freed
        } catch (HttpTimeoutException e) {
            throw new PushFailedException(where + " did not answer within " + settings.timeout().toSeconds()
                    + "s (ghostwatch.pushgateway.timeout)", e);
        } catch (IOException e) {
            throw new PushFailedException("cannot reach " + where + " (" + describe(e)
                    + "): check ghostwatch.pushgateway.url and the network path", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PushFailedException("interrupted while pushing to " + where, e);
        }
        if (status / 100 != 2) {
            String hint = status == 401 || status == 403
                    ? ": check ghostwatch.pushgateway.username/password or bearer-token" : "";
            throw new PushFailedException(where + " refused the push with HTTP " + status + " ("
                    + firstLine(answer) + ")" + hint, null);
        }
    }

    private static SSLContext trusting(PushSettings settings) throws PushFailedException {
        try (InputStream in = Files.newInputStream(settings.caFile().orElseThrow())) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, (X509Certificate) cert);
            }
            if (i == 0) {
                throw new PushFailedException("ghostwatch.pushgateway.ca-file holds no PEM certificate", null);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new PushFailedException("cannot read ghostwatch.pushgateway.ca-file: " + e.getMessage(), e);
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        Throwable cause = e.getCause();
        if ((message == null || message.isBlank()) && cause != null) {
            message = cause.getMessage();
        }
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /**
     * The start of an error response, read no further than {@link #ERROR_BODY_LIMIT}: one line of it is all a
     * report shows, and whatever answers at the URL (a proxy, a misconfigured gateway) cannot make us buffer more.
     */
    private static String head(InputStream in) throws IOException {
        try (in) {
            return new String(in.readNBytes(ERROR_BODY_LIMIT), StandardCharsets.UTF_8);
        }
    }

    private static String stripTrailingSlash(String path) {
        return path == null ? "" : path.replaceAll("/+$", "");
    }

    private static String firstLine(String body) {
        String line = body == null ? "" : body.strip().lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
