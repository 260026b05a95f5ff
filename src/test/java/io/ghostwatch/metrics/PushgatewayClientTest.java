package io.ghostwatch.metrics;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the client reads of an answer that is not the Pushgateway's: a real HTTP server on loopback. */
class PushgatewayClientTest {

    @Test
    void aHugeErrorBodyIsReadOnlyAsFarAsItsFirstLineNeeds() throws Exception {
        byte[] chunk = ("x".repeat(1023) + "\n").getBytes(StandardCharsets.US_ASCII);
        AtomicLong written = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(502, 0); // chunked: 64 MiB unless the client stops reading
            try (OutputStream out = exchange.getResponseBody()) {
                out.write("bad gateway: upstream said no\n".getBytes(StandardCharsets.US_ASCII));
                for (int i = 0; i < 64 * 1024; i++) {
                    out.write(chunk);
                    written.addAndGet(chunk.length);
                }
            } catch (java.io.IOException closedByTheClient) {
                // what a bounded read does to the rest of the body
            }
        });
        server.start();
        try {
            PushSettings settings = new PushSettings(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                    "ghostwatch", Duration.ofSeconds(10), Optional.empty(), Optional.empty());
            PushgatewayClient client = new PushgatewayClient(settings);

            assertThatThrownBy(() -> client.push("demo", RunMetrics.failed(java.time.Instant.parse("2026-12-02T00:00:00Z"), Duration.ofMillis(5))))
                    .isInstanceOf(PushFailedException.class)
                    .hasMessageContaining("refused the push with HTTP 502 (bad gateway: upstream said no)");
            assertThat(written.get()).as("bytes the server managed to send before the client hung up")
                    .isLessThan(64L * 1024 * 1024);
        } finally {
            server.stop(0);
        }
    }
}
