package io.ghostwatch.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ghostwatch.testing.Eventually;
import io.ghostwatch.testing.Ghostwatch;
import io.ghostwatch.testing.Http;
import io.ghostwatch.testing.PrometheusTools.Daemon;
import io.ghostwatch.testing.PrometheusTools.Pushgateway;
import io.ghostwatch.testing.RepoFiles;
import io.ghostwatch.testing.RequiresTools;
import io.ghostwatch.testing.SupabaseFixture;
import io.ghostwatch.testing.TestDatabase;
import io.ghostwatch.testing.WebhookReceiver;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end on loopback, with Debian's real servers: ghostwatch pushes to a Pushgateway, Prometheus scrapes it
 * and evaluates the shipped rules, Alertmanager routes with the shipped routing to a local receiver. Ghosts in
 * PostgreSQL must page the P0 receiver for that target, and a backfill must resolve it.
 *
 * <p>Only timing is changed from the shipped files: 1 s scrapes and evaluations, the severity group's {@code for}
 * set to 0 s and Alertmanager's grouping waits to 1 s (promtool's unit tests prove the real durations), and each
 * receiver is pointed at the local one under its own path.
 */
@RequiresTools({"prometheus-pushgateway", "prometheus-alertmanager", "prometheus"})
class AlertingEndToEndIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void ghostsPageTheP0ReceiverAndABackfillResolvesIt() throws Exception {
        String target = "e2e-" + Long.toHexString(System.nanoTime() & 0xffffff);
        try (TestDatabase db = TestDatabase.create("alerting_e2e");
             WebhookReceiver receiver = WebhookReceiver.start("unused");
             Pushgateway gateway = Pushgateway.start()) {
            SupabaseFixture fixture = SupabaseFixture.install(db);
            fixture.users(20, Duration.ofDays(2));
            fixture.ghosts(6, Duration.ofMinutes(5));    // more than p0-count: P0
            fixture.orphans(2, false);                     // P2, inhibited while the P0 fires

            Path configs = Files.createTempDirectory("gw-e2e");
            Files.writeString(configs.resolve("alertmanager.yml"), alertmanagerConfig(receiver));
            try (Daemon alertmanager = Daemon.start("prometheus-alertmanager", "prometheus-alertmanager",
                    "--config.file=" + configs.resolve("alertmanager.yml"), "--storage.path={dir}",
                    "--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address=")) {
                Files.writeString(configs.resolve("rules.yml"), rules());
                Files.writeString(configs.resolve("prometheus.yml"), prometheusConfig(configs, gateway, alertmanager));
                try (Daemon prometheus = Daemon.start("prometheus", "prometheus",
                        "--config.file=" + configs.resolve("prometheus.yml"), "--storage.tsdb.path={dir}",
                        "--web.listen-address=127.0.0.1:{port}")) {

                    Ghostwatch ghostwatch = Ghostwatch.against(db).env("GHOSTWATCH_TARGET", target)
                            .env("GHOSTWATCH_PUSHGATEWAY_URL", gateway.url());
                    Ghostwatch.Result incident = ghostwatch.run("check");
                    assertThat(incident.exitCode()).as(incident.toString()).isZero();

                    JsonNode page = awaitNotification(receiver, "/pager", "firing", "GhostUsersCritical", target,
                            prometheus, alertmanager);
                    assertThat(page.at("/labels/priority").asText()).isEqualTo("P0");
                    assertThat(page.at("/annotations/summary").asText()).isEqualTo("6 ghost users on " + target + " (P0)");
                    awaitNotification(receiver, "/slack-incidents", "firing", "GhostUsersCritical", target,
                            prometheus, alertmanager);

                    JsonNode orphans = Eventually.await("OrphanedProfiles in Alertmanager", WAIT,
                            () -> amAlert(alertmanager, "OrphanedProfiles", target), a -> !a.isMissingNode());
                    assertThat(orphans.at("/status/inhibitedBy")).as("P2 inhibited by the P0").isNotEmpty();
                    assertThat(delivered(receiver, "/slack-data-quality", "firing", "OrphanedProfiles", target))
                            .isEmpty();

                    db.execute("INSERT INTO public.users (id) SELECT a.id FROM auth.users a"
                            + " WHERE NOT EXISTS (SELECT 1 FROM public.users p WHERE p.id = a.id)"); // Step 4
                    Ghostwatch.Result backfilled = ghostwatch.run("check");
                    assertThat(backfilled.exitCode()).as(backfilled.toString()).isZero();

                    awaitNotification(receiver, "/pager", "resolved", "GhostUsersCritical", target, prometheus,
                            alertmanager);
                    awaitNotification(receiver, "/slack-data-quality", "firing", "OrphanedProfiles", target,
                            prometheus, alertmanager);
                }
            }
        }
    }

    /** The shipped rules with the severity group's {@code for} at 0 s. */
    private static String rules() {
        JsonNode rules = RepoFiles.yaml("k8s/monitoring/ghostwatch-rules.yaml").deepCopy();
        for (JsonNode group : rules.get("groups")) {
            if (group.get("name").asText().equals("ghostwatch.severity")) {
                group.get("rules").forEach(r -> ((ObjectNode) r).put("for", "0s"));
            }
        }
        return RepoFiles.yamlText(rules);
    }

    /** The shipped routing and inhibition; receivers pointed at the local one, waits shortened. */
    private static String alertmanagerConfig(WebhookReceiver receiver) {
        ObjectNode config = (ObjectNode) RepoFiles.yaml("k8s/monitoring/alertmanager.yaml").deepCopy();
        ObjectNode route = (ObjectNode) config.get("route");
        route.put("group_wait", "1s").put("group_interval", "1s");
        ArrayNode receivers = JSON.createArrayNode();
        for (JsonNode r : config.get("receivers")) {
            String name = r.get("name").asText();
            ObjectNode local = receivers.addObject().put("name", name);
            local.putArray("webhook_configs").addObject().put("url", receiver.url("/" + name))
                    .put("send_resolved", true);
        }
        config.set("receivers", receivers);
        return RepoFiles.yamlText(config);
    }

    private static String prometheusConfig(Path dir, Pushgateway gateway, Daemon alertmanager) {
        return """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
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
                """.formatted(dir.resolve("rules.yml"), alertmanager.port(), gateway.port());
    }

    private static List<JsonNode> delivered(WebhookReceiver receiver, String path, String status, String alertname,
                                            String target) {
        return receiver.accepted(path).stream().flatMap(r -> {
            try {
                return java.util.stream.StreamSupport.stream(JSON.readTree(r.body()).get("alerts").spliterator(),
                        false);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).filter(a -> a.get("status").asText().equals(status)
                && a.at("/labels/alertname").asText().equals(alertname)
                && a.at("/labels/target").asText().equals(target)).toList();
    }

    private static JsonNode awaitNotification(WebhookReceiver receiver, String path, String status,
                                              String alertname, String target, Daemon prometheus,
                                              Daemon alertmanager) {
        List<JsonNode> got = Eventually.await(status + " " + alertname + " at " + path + " (Prometheus alerts: "
                        + Http.get(prometheus.url() + "/api/v1/alerts").body() + ")", WAIT,
                () -> delivered(receiver, path, status, alertname, target), l -> !l.isEmpty());
        return got.get(0);
    }

    private static JsonNode amAlert(Daemon alertmanager, String alertname, String target) {
        try {
            JsonNode alerts = JSON.readTree(Http.get(alertmanager.url() + "/api/v2/alerts").body());
            for (JsonNode a : alerts) {
                if (a.at("/labels/alertname").asText().equals(alertname)
                        && a.at("/labels/target").asText().equals(target)) {
                    return a;
                }
            }
        } catch (IOException e) {
            // not up yet
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
}
