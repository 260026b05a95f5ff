package io.ghostwatch.notify;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Delivers one rendered notification with the REST client: connect and read timeouts, retries with exponential
 * backoff on 5xx, timeouts and connection errors, none on 4xx (the receiver said no; asking again in a second
 * will not change its mind, a later run may).
 */
public final class HookSender implements AutoCloseable {

    /** A method and whatever path follows it, in case a client wrote the path otherwise than the URL has it. */
    private static final Pattern REQUEST_LINE = Pattern.compile("\\b(GET|POST|PUT|HEAD|DELETE|PATCH) +/\\S*");

    /** How a delivery ended; {@code error} is one line without URL or secret. */
    public record Result(boolean delivered, int attempts, String error) {
    }

    private final NotifySettings settings;
    private final Map<Channel, HookClient> clients = new EnumMap<>(Channel.class);

    public HookSender(NotifySettings settings) {
        this.settings = settings;
    }

    /** One client per channel for the sender's life (one run); closed with it. */
    private HookClient client(Channel channel, URI url) {
        return clients.computeIfAbsent(channel, c -> QuarkusRestClientBuilder.newBuilder()
                .baseUri(url)
                .connectTimeout(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(settings.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                // Every status comes back as a Response: the retry rules decide, not exceptions.
                .property("microprofile.rest.client.disable.default.mapper", true)
                .build(HookClient.class));
    }

    @Override
    public void close() {
        for (HookClient client : clients.values()) {
            try {
                client.close();
            } catch (Exception ignored) {
                // closing a client whose receiver is gone has nothing left to report
            }
        }
        clients.clear();
    }

    public Result send(Channel channel, String idempotencyKey, String kind, String body) {
        URI url = channel == Channel.SLACK ? settings.slackUrl().orElseThrow() : settings.webhookUrl().orElseThrow();
        HookClient client = client(channel, url);
        String where = channel.wireName() + " receiver at " + url.getHost();
        String error = "";
        Duration wait = settings.backoff();
        for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
            try {
                Response response = post(client, channel, idempotencyKey, kind, body);
                int status = response.getStatus();
                response.close();
                if (status / 100 == 2) {
                    return new Result(true, attempt, "");
                }
                error = where + " answered HTTP " + status;
                if (status / 100 == 4) {
                    return new Result(false, attempt, error + " (not retried: check the URL and secret)");
                }
            } catch (RuntimeException e) {
                error = where + " failed: " + describe(e, url);
            }
            if (attempt < settings.attempts()) {
                sleep(wait);
                wait = wait.multipliedBy(2);
            }
        }
        return new Result(false, settings.attempts(), error);
    }

    private Response post(HookClient client, Channel channel, String key, String kind, String body) {
        if (channel == Channel.SLACK) {
            return client.post(null, null, null, null, body);
        }
        long timestamp = Instant.now().getEpochSecond();
        String signature = Signature.sign(settings.webhookSecret().orElseThrow(), timestamp, body);
        return client.post(Long.toString(timestamp), signature, key, kind, body);
    }

    /**
     * The kind of failure and the client's first line, with the URL's path and query cut out: a Slack incoming
     * webhook's path is its secret, and clients name the request they were executing ("… POST /services/…").
     */
    static String describe(Throwable e, URI url) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : root.getMessage().lines().findFirst().orElse("");
        for (String secret : new String[] {url.toString(), url.getRawPath(), url.getPath(), url.getRawQuery()}) {
            if (secret != null && secret.length() > 1) {
                message = message.replace(secret, "…");
            }
        }
        message = REQUEST_LINE.matcher(message).replaceAll("$1 …");
        return root.getClass().getSimpleName() + (message.isBlank() ? "" : ": " + message);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
