package io.ghostwatch.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ghostwatch.testing.PrometheusTools.Daemon;
import io.ghostwatch.testing.PrometheusTools.Pushgateway;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;

/**
 * Debian's real Pushgateway, Alertmanager and Prometheus, each of the test's own on loopback, loaded with the
 * shipped rule file and routes, and a local receiver standing in for every Alertmanager receiver (each under its
 * own path: {@code /pager}, {@code /slack-incidents}…). {@link #fast} shortens every wait to a second, for tests
 * of what pages; {@link #shipped} keeps the shipped timings, for measuring how fast a page comes.
 */
public final class AlertingStack implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    public final WebhookReceiver receiver;
    public final Pushgateway gateway;
    public final Daemon alertmanager;
    public final Daemon prometheus;
    /** Where Prometheus scrapes a {@code ghostwatch serve} ({@code /q/metrics}), if one listens there. */
    public final int servePort;

    private AlertingStack(WebhookReceiver receiver, Pushgateway gateway, Daemon alertmanager, Daemon prometheus,
                          int servePort) {
        this.receiver = receiver;
        this.gateway = gateway;
        this.alertmanager = alertmanager;
        this.prometheus = prometheus;
        this.servePort = servePort;
    }

    /** Scrapes and evaluations every second, no {@code for}, Alertmanager's waits at a second. */
    public static AlertingStack fast(String receiverSecret) {
        return start(receiverSecret, fastRules(), true, 1, 1, 1);
    }

    /**
     * The shipped rule file, routes and timings, with Prometheus as the Prometheus Operator's defaults have it:
     * scrape and evaluation every {@code globalSeconds}, serve scraped every {@code serveScrapeSeconds}.
     */
    public static AlertingStack shipped(String receiverSecret, int globalSeconds, int serveScrapeSeconds) {
        try {
            return start(receiverSecret, Files.readString(RepoFiles.path("k8s/monitoring/ghostwatch-rules.yaml")),
                    false, globalSeconds, globalSeconds, serveScrapeSeconds);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static AlertingStack start(String secret, String rules, boolean shortWaits, int scrapeSeconds,
                                       int evaluationSeconds, int serveScrapeSeconds) {
        WebhookReceiver receiver = WebhookReceiver.start(secret);
        Pushgateway gateway = Pushgateway.start();
        try {
            Path dir = Files.createTempDirectory("gw-alerting");
            Files.writeString(dir.resolve("alertmanager.yml"), alertmanagerConfig(receiver, shortWaits));
            Daemon alertmanager = Daemon.start("prometheus-alertmanager", "prometheus-alertmanager",
                    "--config.file=" + dir.resolve("alertmanager.yml"), "--storage.path={dir}",
                    "--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address=");
            Files.writeString(dir.resolve("rules.yml"), rules);
            int servePort = Ports.free();
            Files.writeString(dir.resolve("prometheus.yml"), """
                    global:
                      scrape_interval: %ds
                      evaluation_interval: %ds
                    rule_files:
                      - %s
                    alerting:
                      alertmanagers:
                        - static_configs:
                            - targets: ['127.0.0.1:%d']
                    scrape_configs:
                      - job_name: pushgateway
                        honor_labels: true
                        static_configs:
                          - targets: ['127.0.0.1:%d']
                      - job_name: ghostwatch-serve
                        scrape_interval: %ds
                        metrics_path: /q/metrics
                        static_configs:
                          - targets: ['127.0.0.1:%d']
                    """.formatted(scrapeSeconds, evaluationSeconds, dir.resolve("rules.yml"), alertmanager.port(),
                    gateway.port(), serveScrapeSeconds, servePort));
            Daemon prometheus = Daemon.start("prometheus", "prometheus",
                    "--config.file=" + dir.resolve("prometheus.yml"), "--storage.tsdb.path={dir}",
                    "--web.listen-address=127.0.0.1:{port}");
            return new AlertingStack(receiver, gateway, alertmanager, prometheus, servePort);
        } catch (IOException | RuntimeException e) {
            gateway.close();
            receiver.close();
            throw new IllegalStateException("cannot start the alerting stack", e);
        }
    }

    /** The shipped rules, every group evaluated each second and no {@code for} (P1 and P2 included). */
    private static String fastRules() {
        JsonNode rules = RepoFiles.yaml("k8s/monitoring/ghostwatch-rules.yaml").deepCopy();
        for (JsonNode group : rules.get("groups")) {
            String name = group.get("name").asText();
            if (name.equals("ghostwatch.severity") || name.equals("ghostwatch.findings")) {
                ((ObjectNode) group).put("interval", "1s");
                group.get("rules").forEach(r -> ((ObjectNode) r).put("for", "0s"));
            }
        }
        return RepoFiles.yamlText(rules);
    }

    /** The shipped routing and inhibition; receivers pointed at the local one, waits shortened if asked. */
    private static String alertmanagerConfig(WebhookReceiver receiver, boolean shortWaits) {
        ObjectNode config = (ObjectNode) RepoFiles.yaml("k8s/monitoring/alertmanager.yaml").deepCopy();
        if (shortWaits) {
            ObjectNode route = (ObjectNode) config.get("route");
            route.put("group_wait", "1s").put("group_interval", "1s");
            route.get("routes").forEach(r -> {
                if (r.has("group_wait")) {
                    ((ObjectNode) r).put("group_wait", "1s");
                }
            });
        }
        ArrayNode receivers = JSON.createArrayNode();
        for (JsonNode r : config.get("receivers")) {
            String name = r.get("name").asText();
            receivers.addObject().put("name", name).putArray("webhook_configs").addObject()
                    .put("url", receiver.url("/" + name)).put("send_resolved", true);
        }
        config.set("receivers", receivers);
        return RepoFiles.yamlText(config);
    }

    /** An instant query's {@code data.result}. */
    public JsonNode query(String promql) {
        String url = prometheus.url() + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
        try {
            return JSON.readTree(Http.get(url).body()).at("/data/result");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The alerts of one status and name for one target in what a receiver path got, oldest first. */
    public List<JsonNode> delivered(String path, String status, String alertname, String target) {
        return receiver.accepted(path).stream().flatMap(r -> {
            try {
                return StreamSupport.stream(JSON.readTree(r.body()).get("alerts").spliterator(), false);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).filter(a -> a.get("status").asText().equals(status)
                && a.at("/labels/alertname").asText().equals(alertname)
                && a.at("/labels/target").asText().equals(target)).toList();
    }

    public JsonNode awaitNotification(String path, String status, String alertname, String target,
                                      Duration limit) {
        List<JsonNode> got = Eventually.await(status + " " + alertname + " at " + path + " (Prometheus alerts: "
                        + Http.get(prometheus.url() + "/api/v1/alerts").body() + ")", limit,
                () -> delivered(path, status, alertname, target), l -> !l.isEmpty());
        return got.get(0);
    }

    /** The alert as Alertmanager holds it (its inhibition status), or a missing node. */
    public JsonNode amAlert(String alertname, String target) {
        try {
            for (JsonNode a : JSON.readTree(Http.get(alertmanager.url() + "/api/v2/alerts").body())) {
                if (a.at("/labels/alertname").asText().equals(alertname)
                        && a.at("/labels/target").asText().equals(target)) {
                    return a;
                }
            }
        } catch (IOException e) {
            // not up yet
        }
        return MissingNode.getInstance();
    }

    @Override
    public void close() {
        prometheus.close();
        alertmanager.close();
        gateway.close();
        receiver.close();
    }
}
