package io.ghostwatch.metrics;

import com.sun.net.httpserver.HttpServer;
import io.ghostwatch.testing.Exposition;
import io.ghostwatch.testing.Ghostwatch.Result;
import io.ghostwatch.testing.Ghostwatch;
import io.ghostwatch.testing.PrometheusTools.Pushgateway;
import io.ghostwatch.testing.PrometheusTools;
import io.ghostwatch.testing.RequiresTools;
import io.ghostwatch.testing.SupabaseFixture;
import io.ghostwatch.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** CronJob mode: {@code ghostwatch check} pushes its series to a real Pushgateway (Debian's). */
@RequiresTools({"prometheus-pushgateway", "promtool"})
class PushgatewayIT {

    private static TestDatabase db;
    private static Pushgateway gateway;

    @BeforeAll
    static void start() {
        db = TestDatabase.create("push_it");
        SupabaseFixture fixture = SupabaseFixture.install(db);
        fixture.users(40, Duration.ofDays(4));
        fixture.ghosts(3, Duration.ofMinutes(10));
        fixture.ghosts(1, Duration.ofDays(2));
        fixture.orphans(2, false);
        fixture.orphans(1, true);
        gateway = Pushgateway.start();
    }

    @AfterAll
    static void stop() {
        gateway.close();
        db.close();
    }

    private static Ghostwatch ghostwatch(String target) {
        return Ghostwatch.against(db).env("GHOSTWATCH_TARGET", target)
                .env("GHOSTWATCH_PUSHGATEWAY_URL", gateway.url());
    }

    private static Map<String, Double> pushed(String target) {
        return Exposition.samples(gateway.metrics(), "target", target);
    }

    @Test
    void everyDesignSeriesArrivesWithTheRightValues() {
        // The signup attempts are counted between two checks: the first one starts the count.
        assertThat(ghostwatch("push-values").run("check").exitCode()).isZero();
        assertThat(pushed("push-values")).doesNotContainKey("ghostwatch_signup_attempts");
        Result r = ghostwatch("push-values").run("check");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        Map<String, Double> m = pushed("push-values");
        for (Metric metric : Metric.values()) {
            if (metric != Metric.CANARY_SUCCESS) { // off by default: absent, as DESIGN.md says
                assertThat(m).as("pushed series").containsKey(metric.prometheusName());
            }
        }
        assertThat(m).doesNotContainKey("ghostwatch_canary_success");
        assertThat(m.get("ghostwatch_ghost_users")).isEqualTo(4.0);
        assertThat(m.get("ghostwatch_ghost_users_old")).isEqualTo(1.0);
        assertThat(m.get("ghostwatch_ghost_oldest_age_seconds")).isCloseTo(2 * 86_400.0, within(120.0));
        assertThat(m.get("ghostwatch_orphaned_profiles")).isEqualTo(2.0);
        assertThat(m.get("ghostwatch_auth_users")).isEqualTo(44.0);  // 40 users + 4 ghosts (orphans come and go)
        assertThat(m.get("ghostwatch_profiles")).isEqualTo(43.0);    // 40 users + 3 orphaned profiles
        assertThat(m.get("ghostwatch_count_parity_delta")).isEqualTo(1.0);
        assertThat(m.get("ghostwatch_trigger_present")).isEqualTo(1.0);
        assertThat(m.get("ghostwatch_trigger_enabled")).isEqualTo(1.0);
        assertThat(m.get("ghostwatch_priority")).isEqualTo(3.0);
        assertThat(m.get("ghostwatch_up")).isEqualTo(1.0);
        assertThat(m.get("ghostwatch_last_success_timestamp_seconds"))
                .isEqualTo(m.get("ghostwatch_last_run_timestamp_seconds"))
                .isCloseTo(System.currentTimeMillis() / 1000.0, within(120.0));
        assertThat(gateway.metrics()).contains("ghostwatch_up{instance=\"\",job=\"ghostwatch\",target=\"push-values\"} 1");
        assertThat(gateway.metrics()).contains("ghostwatch_signup_attempts{instance=\"\",job=\"ghostwatch\","
                + "outcome=\"committed\",target=\"push-values\"} 0", "ghostwatch_signup_attempts{instance=\"\","
                + "job=\"ghostwatch\",outcome=\"rolled_back\",target=\"push-values\"} 0");
        assertThat(m.get("ghostwatch_signups_failing")).isZero();
        assertThat(m.get("ghostwatch_signup_blockers")).isZero();
    }

    @Test
    void aFailedRunReportsDownAndKeepsThePreviousLastSuccess() {
        assertThat(ghostwatch("push-fail").run("check").exitCode()).isZero();
        Map<String, Double> good = pushed("push-fail");

        Result failed = ghostwatch("push-fail")
                .env("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:1/" + db.name())
                .run("check");

        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(2);
        Map<String, Double> after = pushed("push-fail");
        assertThat(after.get("ghostwatch_up")).isZero();
        assertThat(after.get("ghostwatch_last_success_timestamp_seconds"))
                .isEqualTo(good.get("ghostwatch_last_success_timestamp_seconds"));
        assertThat(after.get("ghostwatch_last_run_timestamp_seconds"))
                .isGreaterThan(good.get("ghostwatch_last_run_timestamp_seconds"));
        assertThat(after.get("ghostwatch_ghost_users")).as("last known value").isEqualTo(4.0);
        assertThat(gateway.metrics()).as("findings stay as last known, not gone")
                .contains("ghostwatch_finding{code=\"ghost_users_old\",instance=\"\",job=\"ghostwatch\","
                        + "priority=\"P0\",step=\"Step 4\",target=\"push-fail\"} 1");
    }

    @Test
    void eachFindingIsASeriesAndAFindingGoneIsGoneFromTheGateway() {
        assertThat(ghostwatch("push-findings").run("check").exitCode()).isZero();
        assertThat(findingLines("push-findings")).containsExactlyInAnyOrder(
                "code=\"ghost_users_old\",priority=\"P0\",step=\"Step 4\"",
                "code=\"trigger_enabled_but_ghosts\",priority=\"P0\",step=\"Step 3C\"",
                "code=\"orphaned_profiles\",priority=\"P2\",step=\"Scenario 4\"");

        // The same target, now healthy: the next PUT carries no finding, and the old series are gone.
        TestDatabase healthy = TestDatabase.create("push_healthy");
        try {
            SupabaseFixture.install(healthy).users(5, Duration.ofDays(1));
            Result r = Ghostwatch.against(healthy).env("GHOSTWATCH_TARGET", "push-findings")
                    .env("GHOSTWATCH_PUSHGATEWAY_URL", gateway.url()).run("check");
            assertThat(r.exitCode()).as(r.toString()).isZero();
        } finally {
            healthy.close();
        }
        assertThat(pushed("push-findings").get("ghostwatch_priority")).isZero();
        assertThat(findingLines("push-findings")).isEmpty();
    }

    /** The labels besides job, instance and target of each ghostwatch_finding series of a target. */
    private static java.util.List<String> findingLines(String target) {
        return gateway.metrics().lines().filter(l -> l.startsWith("ghostwatch_finding{")
                        && l.contains("target=\"" + target + "\""))
                .map(l -> l.substring(l.indexOf('{') + 1, l.indexOf('}'))
                        .replace("instance=\"\",job=\"ghostwatch\",", "").replace(",target=\"" + target + "\"", ""))
                .toList();
    }

    @Test
    void promtoolFindsNoProblemInThePushedSeries() {
        assertThat(ghostwatch("push-lint").run("check").exitCode()).isZero();

        Result lint = PrometheusTools.promtool(gateway.metrics(), "check", "metrics");

        assertThat(lint.exitCode()).as(lint.stdout()).isZero();
        assertThat(lint.stdout()).isBlank();
    }

    @Test
    void anUnreachablePushgatewayExitsThreeWithTheReportOnStdout() {
        Result r = Ghostwatch.against(db).env("GHOSTWATCH_PUSHGATEWAY_URL", "http://127.0.0.1:1").run("check");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        assertThat(r.stdout()).contains("ghost_users_check").contains("Priority: P0");
        assertThat(r.stderr().strip()).startsWith("ghostwatch: metrics not pushed: cannot reach Pushgateway at"
                + " http://127.0.0.1:1").doesNotContain("\n");
    }

    @Test
    void credentialsGoInTheAuthorizationHeaderAndA401NamesTheSettings() throws IOException {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " " + auth);
            byte[] body = "unauthorized\n".getBytes(StandardCharsets.UTF_8);
            int status = auth != null && auth.equals("Bearer s3cret-token") ? 200 : 401;
            exchange.sendResponseHeaders(status, status == 200 ? -1 : body.length);
            if (status != 200) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        receiver.start();
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort();
        try {
            Result basic = Ghostwatch.against(db).env("GHOSTWATCH_TARGET", "auth")
                    .env("GHOSTWATCH_PUSHGATEWAY_URL", url)
                    .env("GHOSTWATCH_PUSHGATEWAY_USERNAME", "pusher")
                    .env("GHOSTWATCH_PUSHGATEWAY_PASSWORD", "pa55").run("check");
            Result bearer = Ghostwatch.against(db).env("GHOSTWATCH_TARGET", "auth")
                    .env("GHOSTWATCH_PUSHGATEWAY_URL", url)
                    .env("GHOSTWATCH_PUSHGATEWAY_BEARER_TOKEN", "s3cret-token").run("check");

            String expectedBasic = "Basic " + Base64.getEncoder()
                    .encodeToString("pusher:pa55".getBytes(StandardCharsets.UTF_8));
            assertThat(seen).containsExactly("PUT /metrics/job/ghostwatch/target/auth " + expectedBasic,
                    "PUT /metrics/job/ghostwatch/target/auth Bearer s3cret-token");
            assertThat(basic.exitCode()).isEqualTo(3);
            assertThat(basic.stderr()).contains("refused the push with HTTP 401 (unauthorized)")
                    .contains("ghostwatch.pushgateway.username/password").doesNotContain("pa55");
            assertThat(bearer.exitCode()).as(bearer.toString()).isZero();
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void conflictingPushCredentialsAreAConfigurationError() {
        Result r = ghostwatch("push-conf").env("GHOSTWATCH_PUSHGATEWAY_USERNAME", "a")
                .env("GHOSTWATCH_PUSHGATEWAY_BEARER_TOKEN", "b").run("check");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("ghostwatch.pushgateway.username and ghostwatch.pushgateway.bearer-token");
    }
}
