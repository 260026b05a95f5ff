package io.ghostwatch.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ghostwatch.testing.Eventually;
import io.ghostwatch.testing.Ghostwatch;
import io.ghostwatch.testing.Http;
import io.ghostwatch.testing.AlertingStack;
import io.ghostwatch.testing.PrometheusTools.Daemon;
import io.ghostwatch.testing.RequiresTools;
import io.ghostwatch.testing.SupabaseFixture;
import io.ghostwatch.testing.TestDatabase;
import io.ghostwatch.testing.WebhookReceiver;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * End to end on loopback, with Debian's real servers: ghostwatch pushes to a Pushgateway, Prometheus scrapes it
 * and evaluates the shipped rules, Alertmanager routes with the shipped routing to a local receiver. Each
 * incident is made real in PostgreSQL first, then must reach (or not reach) the P0 receiver for that target.
 *
 * <p>Only timing is changed from the shipped files: 1 s scrapes and evaluations, the P1/P2 rules' {@code for} set
 * to 0 s and Alertmanager's grouping waits to 1 s (promtool's unit tests prove the real durations, the latency
 * benchmark measures them), and each receiver is pointed at the local one under its own path.
 */
@RequiresTools({"prometheus-pushgateway", "prometheus-alertmanager", "prometheus"})
class AlertingEndToEndIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void ghostsPageTheP0ReceiverAndABackfillResolvesIt() throws Exception {
        try (TestDatabase db = TestDatabase.create("alerting_e2e"); Stack stack = Stack.start()) {
            SupabaseFixture fixture = SupabaseFixture.install(db);
            fixture.users(20, Duration.ofDays(2));
            fixture.ghosts(6, Duration.ofMinutes(5));    // more than p0-count: P0
            fixture.orphans(2, false);                     // P2, inhibited while the P0 fires
            Ghostwatch ghostwatch = stack.ghostwatch(db);

            Ghostwatch.Result incident = ghostwatch.run("check");
            assertThat(incident.exitCode()).as(incident.toString()).isZero();

            JsonNode page = stack.awaitNotification("/pager", "firing", "GhostUsersCritical");
            assertThat(page.at("/labels/priority").asText()).isEqualTo("P0");
            assertThat(page.at("/annotations/summary").asText()).isEqualTo("6 ghost users on " + stack.target
                    + " (P0)");
            stack.awaitNotification("/slack-incidents", "firing", "GhostUsersCritical");

            JsonNode orphans = Eventually.await("OrphanedProfiles in Alertmanager", WAIT,
                    () -> stack.amAlert("OrphanedProfiles"), a -> !a.isMissingNode());
            assertThat(orphans.at("/status/inhibitedBy")).as("P2 inhibited by the P0").isNotEmpty();
            assertThat(stack.delivered("/slack-data-quality", "firing", "OrphanedProfiles")).isEmpty();

            db.execute("INSERT INTO public.users (id) SELECT a.id FROM auth.users a"
                    + " WHERE NOT EXISTS (SELECT 1 FROM public.users p WHERE p.id = a.id)"); // Step 4
            Ghostwatch.Result backfilled = ghostwatch.run("check");
            assertThat(backfilled.exitCode()).as(backfilled.toString()).isZero();

            stack.awaitNotification("/pager", "resolved", "GhostUsersCritical");
            stack.awaitNotification("/slack-data-quality", "firing", "OrphanedProfiles");
        }
    }

    @Test
    void readOnlyModePagesP0ThroughItsCauseAndTheResetResolvesIt() throws Exception {
        // supabase/supabase#9824: a nearly full disk puts the project in read-only mode; no ghost, no gauge moves.
        try (TestDatabase db = TestDatabase.create("alerting_readonly"); Stack stack = Stack.start()) {
            SupabaseFixture fixture = SupabaseFixture.install(db);
            fixture.users(10, Duration.ofDays(2));
            db.execute("ALTER DATABASE " + db.name() + " SET default_transaction_read_only = on");
            assertThat(fixture.signup(true).error()).as("the incident is real: a signup fails")
                    .contains("read-only transaction");
            Ghostwatch ghostwatch = stack.ghostwatch(db);

            Ghostwatch.Result incident = ghostwatch.run("check", "--output", "json");
            assertThat(incident.stdout()).contains("\"code\" : \"cause_read_only_mode\"");
            assertThat(incident.exitCode()).as("its history cannot be written either: " + incident).isEqualTo(3);

            JsonNode page = stack.awaitNotification("/pager", "firing", "UserSyncFinding");
            assertThat(page.at("/labels/code").asText()).isEqualTo("cause_read_only_mode");
            assertThat(page.at("/labels/priority").asText()).isEqualTo("P0");
            assertThat(page.at("/annotations/description").asText()).contains("ghostwatch diagnose")
                    .contains("runbook Step 3C");

            db.executeAsAdmin("ALTER DATABASE " + db.name() + " RESET default_transaction_read_only");
            assertThat(fixture.signup(true).synced()).as("signups work again").isTrue();
            Ghostwatch.Result fixed = ghostwatch.run("check");
            assertThat(fixed.exitCode()).as(fixed.toString()).isZero();

            JsonNode resolved = stack.awaitNotification("/pager", "resolved", "UserSyncFinding");
            assertThat(resolved.at("/labels/code").asText()).isEqualTo("cause_read_only_mode");
        }
    }

    @Test
    void aFunctionBrokenBeforeAnySignupCommitsPagesAtTheFirstFailure() throws Exception {
        try (TestDatabase db = TestDatabase.create("alerting_broken"); Stack stack = Stack.start()) {
            SupabaseFixture fixture = SupabaseFixture.install(db);
            fixture.users(10, Duration.ofDays(2));
            fixture.breakFunctionWithDroppedColumn();
            Ghostwatch ghostwatch = stack.ghostwatch(db);
            assertThat(ghostwatch.run("check").exitCode()).as("a check before, as the schedule runs").isZero();
            assertThat(fixture.signup(true).error()).as("the incident is real: the first signup fails")
                    .contains("full_name");

            Ghostwatch.Result incident = ghostwatch.run("check");
            assertThat(incident.exitCode()).as(incident.toString()).isZero();
            assertThat(incident.stdout()).contains("[P0] cause_function_column_missing")
                    .doesNotContain("signups_failing");

            JsonNode page = stack.awaitNotification("/pager", "firing", "UserSyncFinding");
            assertThat(page.at("/labels/code").asText()).isEqualTo("cause_function_column_missing");
        }
    }

    @Test
    void aDatabaseWithOnlyAP2NeverPagesTheP0Receiver() throws Exception {
        try (TestDatabase db = TestDatabase.create("alerting_p2"); Stack stack = Stack.start()) {
            SupabaseFixture fixture = SupabaseFixture.install(db);
            fixture.users(10, Duration.ofDays(2));
            fixture.orphans(2, false);
            Ghostwatch.Result run = stack.ghostwatch(db).run("check");
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.stdout()).contains("Priority: P2");

            stack.awaitNotification("/slack-data-quality", "firing", "OrphanedProfiles");
            JsonNode alerts = JSON.readTree(Http.get(stack.prometheus.url() + "/api/v1/alerts").body());
            List<String> priorities = new ArrayList<>();
            alerts.at("/data/alerts").forEach(a -> priorities.add(a.at("/labels/priority").asText()));
            assertThat(priorities).as("every alert Prometheus has for it").containsOnly("P2");
            assertThat(stack.receiver.accepted("/pager")).as("nothing reached the pager").isEmpty();
        }
    }

    @Test
    void aMigrationThatHoldsTheIdentityTablePagesAsBlockedSignups() throws Exception {
        try (TestDatabase db = TestDatabase.create("alerting_blocked"); Stack stack = Stack.start()) {
            SupabaseFixture fixture = SupabaseFixture.install(db).authServerOwnsIdentities();
            fixture.users(10, Duration.ofDays(2));
            Ghostwatch ghostwatch = stack.ghostwatch(db).env("GHOSTWATCH_LOCK_TIMEOUT", "1s")
                    .env("GHOSTWATCH_FULL_SCAN_INTERVAL", "0s");
            assertThat(ghostwatch.run("check").exitCode()).isZero();
            try (Connection migration = db.connect(); Statement st = migration.createStatement()) {
                migration.setAutoCommit(false);
                st.execute("LOCK TABLE auth.users IN ACCESS EXCLUSIVE MODE");
                try (Connection signup = db.connectAs(SupabaseFixture.SIGNUP_ROLE, "");
                     Statement insert = signup.createStatement()) {
                    insert.execute("SET statement_timeout = '500ms'");
                    assertThat(catchThrowable(() -> insert.execute("INSERT INTO auth.users (id, created_at)"
                            + " VALUES (gen_random_uuid(), now())"))).as("the incident is real: a signup times out")
                            .hasMessageContaining("statement timeout");
                }

                Ghostwatch.Result blocked = ghostwatch.run("check");
                assertThat(blocked.exitCode()).as(blocked.toString()).isEqualTo(2);
                assertThat(blocked.stderr()).contains("P0 signups_blocked").contains("AccessExclusiveLock on auth.users");

                JsonNode page = stack.awaitNotification("/pager", "firing", "SignupsBlocked");
                assertThat(page.at("/labels/priority").asText()).isEqualTo("P0");
                migration.rollback();
            }
            assertThat(ghostwatch.run("check").exitCode()).isZero();
            stack.awaitNotification("/pager", "resolved", "SignupsBlocked");
        }
    }

    /** The shipped rules and routes on loopback, waits shortened, and the target this test checks. */
    private static final class Stack implements AutoCloseable {
        final String target = "e2e-" + Long.toHexString(System.nanoTime() & 0xffffff);
        final AlertingStack servers = AlertingStack.fast("unused");
        final WebhookReceiver receiver = servers.receiver;
        final Daemon prometheus = servers.prometheus;

        static Stack start() {
            return new Stack();
        }

        Ghostwatch ghostwatch(TestDatabase db) {
            return Ghostwatch.against(db).env("GHOSTWATCH_TARGET", target)
                    .env("GHOSTWATCH_PUSHGATEWAY_URL", servers.gateway.url());
        }

        List<JsonNode> delivered(String path, String status, String alertname) {
            return servers.delivered(path, status, alertname, target);
        }

        JsonNode awaitNotification(String path, String status, String alertname) {
            return servers.awaitNotification(path, status, alertname, target, WAIT);
        }

        JsonNode amAlert(String alertname) {
            return servers.amAlert(alertname, target);
        }

        @Override
        public void close() {
            servers.close();
        }
    }
}
