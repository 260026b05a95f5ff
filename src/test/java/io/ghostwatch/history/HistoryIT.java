package io.ghostwatch.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ghostwatch.testing.Ghostwatch;
import io.ghostwatch.testing.Ghostwatch.Result;
import io.ghostwatch.testing.SupabaseDatabaseTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The history schema: Flyway, one row per run, retention, the {@code history} command, missing grants. */
class HistoryIT extends SupabaseDatabaseTest {


    @BeforeEach
    void fresh() {
        fixture.reset();
        db.execute("DROP SCHEMA IF EXISTS ghostwatch CASCADE", "DROP SCHEMA IF EXISTS gw_audit CASCADE");
        fixture.users(5, Duration.ofDays(2));
    }

    private static Ghostwatch ghostwatch() {
        return Ghostwatch.against(db).env("GHOSTWATCH_TARGET", "hist");
    }

    @Test
    void flywayCreatesTheSchemaOnAFreshDatabaseAndLeavesAMigratedOneAlone() {
        assertThat(ghostwatch().run("check").exitCode()).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM ghostwatch.flyway_schema_history WHERE version = '1'"
                + " AND success")).isEqualTo(1);
        long entries = db.queryLong("SELECT count(*) FROM ghostwatch.flyway_schema_history");

        Result again = ghostwatch().run("check");

        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM ghostwatch.flyway_schema_history")).isEqualTo(entries);
        assertThat(db.queryLong("SELECT count(*) FROM ghostwatch.check_runs WHERE target = 'hist'")).isEqualTo(2);
    }

    @Test
    void theSchemaNameIsConfiguration() {
        Result r = ghostwatch().env("GHOSTWATCH_HISTORY_SCHEMA", "gw_audit").run("check");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM gw_audit.check_runs")).isEqualTo(1);
    }

    @Test
    void eachRunIsOneRowWithEveryNumberAndFailedRunsToo() {
        fixture.ghosts(2, Duration.ofMinutes(10));
        fixture.orphans(1, false);
        assertThat(ghostwatch().run("check").exitCode()).isZero();
        Result failed = ghostwatch().env("GHOSTWATCH_PROFILE_TABLE", "public.nope").run("check");
        assertThat(failed.exitCode()).isEqualTo(2);

        assertThat(db.queryString("SELECT concat_ws(',', outcome, priority, identities, profiles, parity_delta,"
                + " ghosts, ghosts_old, ghosts_recent, orphans, trigger_present, trigger_enabled, trigger_tgenabled,"
                + " array_to_string(finding_codes, '/')) FROM ghostwatch.check_runs WHERE outcome = 'checked'"))
                .isEqualTo("checked,P1,7,6,1,2,0,2,1,t,t,O,trigger_enabled_but_ghosts/ghost_users_recent/orphaned_profiles");
        assertThat(db.queryString("SELECT error FROM ghostwatch.check_runs WHERE outcome = 'failed'"))
                .contains("table public.nope does not exist");
    }

    @Test
    void runsOlderThanTheRetentionArePrunedByTheRun() {
        assertThat(ghostwatch().run("check").exitCode()).isZero();
        db.execute("INSERT INTO ghostwatch.check_runs (run_id, target, started_at, finished_at, outcome, duration_ms)"
                + " VALUES (gen_random_uuid(), 'hist', now() - interval '100 days', now() - interval '100 days',"
                + " 'checked', 1), (gen_random_uuid(), 'other-target', now() - interval '100 days',"
                + " now() - interval '100 days', 'checked', 1)");

        assertThat(ghostwatch().run("check").exitCode()).isZero();

        assertThat(db.queryLong("SELECT count(*) FROM ghostwatch.check_runs WHERE target = 'hist'")).isEqualTo(2);
        assertThat(db.queryLong("SELECT count(*) FROM ghostwatch.check_runs WHERE target = 'other-target'"))
                .as("another target's rows are its own run's to prune").isEqualTo(1);
    }

    @Test
    void oldNotificationsAndFinishedFixesAuditsArePrunedToTheirOwnRetentions() {
        assertThat(ghostwatch().run("check").exitCode()).isZero();
        db.execute("INSERT INTO ghostwatch.outbox (id, target, channel, kind, created_at, payload, delivered_at)"
                        + " VALUES (gen_random_uuid(), 'hist', 'webhook', 'incident', now() - interval '100 days',"
                        + " '{\"emails\":[\"old@example.com\"]}', now() - interval '100 days'),"
                        + " (gen_random_uuid(), 'hist', 'webhook', 'incident', now() - interval '100 days', '{}', NULL),"
                        + " (gen_random_uuid(), 'hist', 'webhook', 'incident', now() - interval '10 days', '{}', NULL)",
                "INSERT INTO ghostwatch.remediations (id, target, action, started_at, reason, outcome)"
                        + " VALUES ('00000000-0000-0000-0000-000000000001', 'hist', 'backfill',"
                        + " now() - interval '500 days', 'old', 'completed'),"
                        + " ('00000000-0000-0000-0000-000000000002', 'hist', 'backfill', now() - interval '100 days',"
                        + " 'kept', 'completed'),"
                        + " ('00000000-0000-0000-0000-000000000003', 'other-target', 'backfill',"
                        + " now() - interval '500 days', 'another target', 'completed')",
                "INSERT INTO ghostwatch.remediated_ids (remediation_id, user_id) VALUES"
                        + " ('00000000-0000-0000-0000-000000000001', 'a'), ('00000000-0000-0000-0000-000000000002', 'b')");

        assertThat(ghostwatch().run("check").exitCode()).isZero();

        assertThat(db.queryLong("SELECT count(*) FROM ghostwatch.outbox WHERE created_at < now() - interval '90 days'"))
                .as("delivered or not, a notification older than the retention goes").isZero();
        assertThat(db.queryLong("SELECT count(*) FROM ghostwatch.outbox WHERE created_at < now() - interval '1 day'"))
                .isEqualTo(1);
        assertThat(db.queryString("SELECT string_agg(reason, ',' ORDER BY reason) FROM ghostwatch.remediations"))
                .isEqualTo("another target,kept");
        assertThat(db.queryString("SELECT string_agg(user_id, ',') FROM ghostwatch.remediated_ids")).isEqualTo("b");

        assertThat(ghostwatch().env("GHOSTWATCH_HISTORY_AUDIT_RETENTION", "30d").run("check").exitCode()).isZero();
        assertThat(db.queryString("SELECT string_agg(reason, ',' ORDER BY reason) FROM ghostwatch.remediations"))
                .isEqualTo("another target");
    }

    @Test
    void historyShowsRunsAndWhenTheStateChanged() throws Exception {
        ghostwatch().run("check");
        fixture.ghosts(1, Duration.ofMinutes(2));
        ghostwatch().run("check");
        fixture.triggerState("DISABLE");
        ghostwatch().run("check");

        Result table = ghostwatch().run("history", "--days", "1");
        Result perDay = ghostwatch().run("history", "--per-day");
        Result json = ghostwatch().run("history", "--output", "json");

        assertThat(table.exitCode()).as(table.toString()).isZero();
        assertThat(table.stdout()).contains("3 runs").contains("<- OK to P1").contains("<- P1 to P0")
                .contains("off (D)");
        assertThat(perDay.stdout()).containsPattern("\\d{4}-\\d{2}-\\d{2}\\s+3\\s+0\\s+P0\\s+P0\\s+1\\s+0");
        JsonNode doc = new ObjectMapper().readTree(json.stdout());
        assertThat(doc.get("schema").asText()).isEqualTo("ghostwatch.history/v1");
        assertThat(doc.get("runs")).hasSize(3);
        assertThat(doc.get("changes")).hasSize(3);
        assertThat(doc.at("/changes/0/from").isNull()).as("the first run is a change from nothing").isTrue();
        assertThat(doc.at("/changes/0/to").asText()).isEqualTo("OK");
        assertThat(doc.at("/changes/2/to").asText()).isEqualTo("P0");
        assertThat(table.stdout()).contains("OK (first run shown)").doesNotContain("State changes: none");
    }

    @Test
    void aRoleThatCannotCreateTheSchemaIsToldTheGrantAndStillGetsItsReport() {
        role("gw_reader");
        db.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gw_reader') THEN"
                        + " CREATE ROLE gw_reader LOGIN; END IF; END $$",
                "REVOKE CREATE ON DATABASE " + db.name() + " FROM PUBLIC",
                "GRANT USAGE ON SCHEMA auth TO gw_reader",
                "GRANT SELECT ON auth.users, public.users TO gw_reader");
        fixture.ghosts(1, Duration.ofMinutes(2));

        Result r = ghostwatch().env("QUARKUS_DATASOURCE_USERNAME", "gw_reader").run("check");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        assertThat(r.stdout()).contains("Priority: P1");
        assertThat(r.stderr().strip()).startsWith("ghostwatch: history not recorded: cannot create or upgrade the"
                        + " history in schema ghostwatch")
                .contains("GRANT CREATE ON DATABASE").contains("CREATE SCHEMA \"ghostwatch\" AUTHORIZATION")
                .doesNotContain("\tat ");
        assertThat(db.queryLong("SELECT count(*) FROM pg_namespace WHERE nspname = 'ghostwatch'")).isZero();

        Result off = ghostwatch().env("QUARKUS_DATASOURCE_USERNAME", "gw_reader")
                .env("GHOSTWATCH_HISTORY_ENABLED", "false").run("check");
        assertThat(off.exitCode()).as(off.toString()).isZero();
    }
}
