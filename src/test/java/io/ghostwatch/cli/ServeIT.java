package io.ghostwatch.cli;

import io.ghostwatch.testing.Eventually;
import io.ghostwatch.testing.Exposition;
import io.ghostwatch.testing.Ghostwatch;
import io.ghostwatch.testing.Http;
import io.ghostwatch.testing.Ports;
import io.ghostwatch.testing.PrometheusTools;
import io.ghostwatch.testing.RequiresTools;
import io.ghostwatch.testing.SupabaseDatabaseTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ghostwatch serve}: the scheduler, {@code /q/metrics}, health, outages and overlapping runs. */
@RequiresTools({"promtool"})
class ServeIT extends SupabaseDatabaseTest {

    private static final Duration WAIT = Duration.ofSeconds(40);

    @BeforeEach
    void reset() {
        db.executeAsAdmin("ALTER DATABASE " + db.name() + " ALLOW_CONNECTIONS true");
        fixture.reset();
        fixture.users(10, Duration.ofDays(1));
        fixture.ghosts(2, Duration.ofMinutes(5));
    }

    private static final class Server implements AutoCloseable {
        final int port = Ports.free();
        final Ghostwatch.Running process;

        Server(String... env) {
            Ghostwatch g = Ghostwatch.against(db).env("GHOSTWATCH_TARGET", "serve")
                    .env("GHOSTWATCH_SCHEDULE", "* * * * * ?") // every second
                    .env("QUARKUS_HTTP_PORT", Integer.toString(port));
            for (int i = 0; i < env.length; i += 2) {
                g.env(env[i], env[i + 1]);
            }
            process = g.start("serve");
        }

        Http.Response get(String path) {
            return Http.get("http://127.0.0.1:" + port + path);
        }

        Map<String, Double> metrics() {
            return Exposition.samples(get("/q/metrics").body(), "target", "serve");
        }

        Map<String, Double> awaitMetrics(String what, java.util.function.Predicate<Map<String, Double>> done) {
            return Eventually.await(what + "\n" + process.output(), WAIT, this::metrics, done);
        }

        /** The codes of the {@code ghostwatch_finding} series /q/metrics has now. */
        java.util.Set<String> findings() {
            java.util.Set<String> codes = new java.util.TreeSet<>();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                    "(?m)^ghostwatch_finding\\{[^}]*code=\"([a-z_]+)\"[^}]*} 1(\\.0)?$").matcher(get("/q/metrics").body());
            while (m.find()) {
                codes.add(m.group(1));
            }
            return codes;
        }

        @Override
        public void close() {
            process.close();
        }
    }

    @Test
    void metricsAndSyncHealthFollowTheDatabaseBetweenRuns() {
        try (Server server = new Server()) {
            Map<String, Double> first = server.awaitMetrics("a first run",
                    m -> Double.valueOf(1.0).equals(m.get("ghostwatch_up")));
            assertThat(first.get("ghostwatch_ghost_users")).isEqualTo(2.0);
            assertThat(first.get("ghostwatch_trigger_enabled")).isEqualTo(1.0);
            assertThat(first.get("ghostwatch_priority")).isEqualTo(2.0);
            assertThat(server.findings()).contains("ghost_users_recent").doesNotContain("trigger_disabled");
            Http.Response sync = server.get("/q/health/sync");
            assertThat(sync.status()).isEqualTo(200);
            assertThat(sync.body()).contains("\"priority\": \"P1\"").contains("\"ghosts\": 2");

            fixture.triggerState("DISABLE");

            server.awaitMetrics("the disabled trigger", m -> Double.valueOf(0.0).equals(m.get("ghostwatch_trigger_enabled")));
            assertThat(server.metrics().get("ghostwatch_priority")).isEqualTo(3.0);
            Http.Response down = Eventually.await("sync health DOWN", WAIT, () -> server.get("/q/health/sync"),
                    r -> r.status() == 503);
            assertThat(down.body()).contains("\"status\": \"DOWN\"").contains("\"triggerEnabled\": false");
            assertThat(server.get("/q/health/ready").status()).as("a sick sync is not unreadiness").isEqualTo(200);
            assertThat(server.get("/q/health/group/sync").status()).isEqualTo(503);
            assertThat(server.process.output()).doesNotContain("@example.com");
            assertThat(server.findings()).contains("trigger_disabled", "ghost_users_recent");

            fixture.triggerState("ENABLE");
            Eventually.await("the trigger finding gone from /q/metrics", WAIT, server::findings,
                    f -> !f.contains("trigger_disabled") && f.contains("trigger_enabled_but_ghosts"));
            assertThat(server.process.stop()).as("stopped by SIGTERM, not killed").isNotEqualTo(137);
        }
    }

    @Test
    void promtoolFindsNoProblemInQMetrics() {
        try (Server server = new Server()) {
            server.awaitMetrics("a first run", m -> m.containsKey("ghostwatch_up"));

            // promtool parses the Prometheus text format 0.0.4 (Prometheus itself also takes OpenMetrics).
            String text = Http.get("http://127.0.0.1:" + server.port + "/q/metrics", "text/plain; version=0.0.4").body();
            assertThat(text).contains("# TYPE ghostwatch_identity_inserts_total counter");

            Ghostwatch.Result lint = PrometheusTools.promtool(text, "check", "metrics");

            assertThat(lint.exitCode()).as(lint.stdout()).isZero();
            assertThat(lint.stdout()).isBlank();
        }
    }

    @Test
    void theProcessSurvivesADatabaseOutageAndRecovers() {
        try (Server server = new Server()) {
            Map<String, Double> before = server.awaitMetrics("a first run",
                    m -> Double.valueOf(1.0).equals(m.get("ghostwatch_up")));

            db.executeAsAdmin("ALTER DATABASE " + db.name() + " ALLOW_CONNECTIONS false",
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db.name()
                            + "' AND application_name = 'ghostwatch'");

            Map<String, Double> outage = server.awaitMetrics("ghostwatch_up 0",
                    m -> Double.valueOf(0.0).equals(m.get("ghostwatch_up")));
            assertThat(outage.get("ghostwatch_last_success_timestamp_seconds"))
                    .isGreaterThanOrEqualTo(before.get("ghostwatch_last_success_timestamp_seconds"));
            assertThat(server.process.isAlive()).isTrue();
            assertThat(server.get("/q/health/live").status()).isEqualTo(200);
            assertThat(Eventually.await("readiness DOWN", WAIT, () -> server.get("/q/health/ready").status(),
                    s -> s == 503)).isEqualTo(503);
            double failedAt = outage.get("ghostwatch_last_run_timestamp_seconds");

            db.executeAsAdmin("ALTER DATABASE " + db.name() + " ALLOW_CONNECTIONS true");

            Map<String, Double> recovered = server.awaitMetrics("recovery",
                    m -> Double.valueOf(1.0).equals(m.get("ghostwatch_up")));
            assertThat(recovered.get("ghostwatch_last_success_timestamp_seconds")).isGreaterThan(failedAt);
            assertThat(server.process.output()).contains("cannot check");
        }
    }

    @Test
    void runsNeverOverlap() throws Exception {
        // Every run scans in full, so every run reads auth.users: a steady run whose counters did not move reads
        // neither table (not even the kept ghosts' rows) and would pass the lock without waiting.
        try (Server server = new Server("GHOSTWATCH_LOCK_TIMEOUT", "4s", "GHOSTWATCH_FULL_SCAN_INTERVAL", "0s")) {
            server.awaitMetrics("a first run", m -> Double.valueOf(1.0).equals(m.get("ghostwatch_up")));
            try (Connection ddl = db.connect(); Statement st = ddl.createStatement()) {
                ddl.setAutoCommit(false);
                st.execute("LOCK TABLE auth.users IN ACCESS EXCLUSIVE MODE");
                long most = 0;
                long seenWaiting = 0;
                for (int i = 0; i < 30; i++) { // 6 s: several schedule ticks while one run waits on the lock
                    long waiting = db.queryLong("SELECT count(*) FROM pg_stat_activity WHERE datname = ?"
                            + " AND application_name = 'ghostwatch' AND wait_event_type = 'Lock'", db.name());
                    most = Math.max(most, waiting);
                    seenWaiting += waiting;
                    Thread.sleep(200);
                }
                ddl.rollback();
                assertThat(seenWaiting).as("a run waited on the lock").isPositive();
                assertThat(most).as("runs waiting at once").isEqualTo(1);
            }
            String output = Eventually.await("a skipped tick in the log", WAIT, server.process::output,
                    out -> out.contains("skipped a run"));
            assertThat(output).contains("the previous one is still in progress");
            server.awaitMetrics("recovery after the lock", m -> Double.valueOf(1.0).equals(m.get("ghostwatch_up")));
        }
    }

    @Test
    void checkNeverListensOnAPort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Ghostwatch.Result r = Ghostwatch.against(db)
                    .env("QUARKUS_HTTP_PORT", Integer.toString(taken.getLocalPort()))
                    .env("QUARKUS_HTTP_HOST", "127.0.0.1")
                    .run("check");

            assertThat(r.exitCode()).as(r.toString()).isZero();
        }
    }

    @Test
    void aBadScheduleIsAConfigurationError() {
        Ghostwatch.Result r = Ghostwatch.against(db).env("GHOSTWATCH_SCHEDULE", "every five minutes")
                .env("QUARKUS_HTTP_PORT", Integer.toString(Ports.free())).run("serve");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("ghostwatch.schedule").contains("not a Quartz cron expression");
    }
}
