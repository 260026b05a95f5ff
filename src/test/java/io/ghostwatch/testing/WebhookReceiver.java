package io.ghostwatch.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A real HTTP receiver for both channels (JDK HttpServer on loopback). On {@code /hook} it verifies the
 * HMAC signature the way a careful receiver would (shared secret, timestamp within five minutes) and answers
 * 401 when it does not hold; {@code /slack} takes anything. Scripted statuses let a test make it fail.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request as received, and when. */
    public record Request(String path, Map<String, List<String>> headers, String body, int answered,
                          Instant receivedAt) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final String secret;
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final Deque<Integer> scripted = new ArrayDeque<>();

    private WebhookReceiver(int port, String secret) throws IOException {
        this.secret = secret;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public static WebhookReceiver start(String secret) {
        return on(0, secret);
    }

    public static WebhookReceiver on(int port, String secret) {
        try {
            return new WebhookReceiver(port, secret);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    /** The next requests get these statuses, then 200 again. */
    public synchronized void answerNext(int... statuses) {
        for (int s : statuses) {
            scripted.add(s);
        }
    }

    private synchronized int nextStatus() {
        return scripted.isEmpty() ? 200 : scripted.poll();
    }

    private void handle(HttpExchange exchange) throws IOException {
        Instant receivedAt = Instant.now();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getPath();
        int status = nextStatus();
        if (status == 200 && path.equals("/hook") && !verify(exchange.getRequestHeaders().getFirst(
                "X-Ghostwatch-Timestamp"), exchange.getRequestHeaders().getFirst("X-Ghostwatch-Signature"), body)) {
            status = 401;
        }
        requests.add(new Request(path, Map.copyOf(exchange.getRequestHeaders()), body, status, receivedAt));
        byte[] answer = (status == 200 ? "ok" : "status " + status).getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    /** What a receiver must do: recompute the HMAC over "timestamp.body" and refuse stale timestamps. */
    public boolean verify(String timestamp, String signature, String body) {
        if (timestamp == null || signature == null) {
            return false;
        }
        long ts;
        try {
            ts = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(Instant.now().getEpochSecond() - ts) > 300) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String expected = "sha256=" + HexFormat.of().formatHex(
                    mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
            return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                    signature.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Requests on a path that were accepted (200). */
    public List<Request> accepted(String path) {
        return requests().stream().filter(r -> r.path().equals(path) && r.answered() == 200).toList();
    }

    public void clear() {
        requests.clear();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
