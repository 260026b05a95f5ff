package io.ghostwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ghostwatch.testing.Ghostwatch;
import io.ghostwatch.testing.Ghostwatch.Result;
import io.ghostwatch.testing.SupabaseDatabaseTest;
import io.ghostwatch.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runbook's scenarios and DESIGN.md's traps through the packaged {@code ghostwatch check}, asserting the
 * numbers, the priority and the exit code a CronJob would see.
 */
class CheckCommandIT extends SupabaseDatabaseTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void reset() {
        db.execute("DROP SCHEMA IF EXISTS ghostwatch CASCADE"); // each scenario is a first check, as in production
        fixture.reset();
        fixture.users(20, Duration.ofDays(10));
    }

    private static Result check(String... args) {
        List<String> all = new ArrayList<>(List.of("check"));
        all.addAll(List.of(args));
        return Ghostwatch.against(db).env("GHOSTWATCH_TARGET", "it").run(all.toArray(String[]::new));
    }

    private static JsonNode json(String... args) {
        List<String> all = new ArrayList<>(List.of("--output", "json"));
        all.addAll(List.of(args));
        Result r = check(all.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        try {
            return JSON.readTree(r.stdout());
        } catch (IOException e) {
            throw new AssertionError("stdout is not one JSON document:\n" + r, e);
        }
    }

    private static List<String> findingCodes(JsonNode report) {
        List<String> codes = new ArrayList<>();
        report.get("findings").forEach(f -> codes.add(f.get("code").asText()));
        return codes;
    }

    @Test
    void healthyDatabaseIsOkAndExitsZeroEvenWithFailOnP2() {
        Result r = check("--fail-on", "P2");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("Priority: OK")
                .contains("check_name              | passed | issue_count | severity | message")
                .contains("ghost_users_check       | t      | 0           | critical | No ghost users detected")
                .contains("trigger_exists_check    | t      | 0           | critical | User sync trigger is active");
    }

    @Test
    void scenario1SingleRecentGhostIsP1() {
        fixture.ghosts(1, Duration.ofMinutes(10));

        JsonNode report = json();

        assertThat(report.get("priority").asText()).isEqualTo("P1");
        assertThat(report.at("/snapshot/ghosts/total").asLong()).isEqualTo(1);
        assertThat(report.at("/snapshot/ghosts/recent").asLong()).isEqualTo(1);
        assertThat(findingCodes(report)).containsExactly("trigger_enabled_but_ghosts", "ghost_users_recent");
        assertThat(check("--fail-on", "P1").exitCode()).isEqualTo(1);
        assertThat(check("--fail-on", "P0").exitCode()).isZero();
    }

    @Test
    void scenario2DisabledTriggerWithSixRecentSignupsIsP0WithTheExactFix() {
        fixture.triggerState("DISABLE");
        fixture.users(6, Duration.ofMinutes(20)); // real signups, while the trigger is off

        JsonNode report = json();

        assertThat(report.get("priority").asText()).isEqualTo("P0");
        assertThat(report.at("/snapshot/ghosts/total").asLong()).isEqualTo(6);
        assertThat(report.at("/snapshot/trigger/tgenabled").asText()).isEqualTo("D");
        assertThat(report.at("/snapshot/trigger/enabled").asBoolean()).isFalse();
        assertThat(findingCodes(report)).containsExactly("trigger_disabled", "ghost_users_many");
        assertThat(report.at("/findings/0/runbookStep").asText()).isEqualTo("Step 3A");
        assertThat(report.at("/findings/0/actions/0").asText())
                .isEqualTo("ALTER TABLE \"auth\".\"users\" ENABLE TRIGGER \"on_auth_user_created\";");
        assertThat(check("--fail-on", "P0").exitCode()).isEqualTo(1);
    }

    @Test
    void fiveRecentGhostsAreStillP1() {
        fixture.ghosts(5, Duration.ofMinutes(20));

        assertThat(json().get("priority").asText()).isEqualTo("P1");
    }

    @Test
    void scenario3OldGhostsWithTheTriggerBackOnAreP0() {
        fixture.ghosts(2, Duration.ofDays(3));

        JsonNode report = json();

        assertThat(report.get("priority").asText()).isEqualTo("P0");
        assertThat(report.at("/snapshot/ghosts/old").asLong()).isEqualTo(2);
        assertThat(report.at("/snapshot/ghosts/oldestAgeSeconds").asDouble())
                .isBetween(3 * 86_400.0, 3 * 86_400.0 + 120);
        assertThat(findingCodes(report)).containsExactly("trigger_enabled_but_ghosts", "ghost_users_old");
    }

    @Test
    void scenario4OrphansAreP2UntilSoftDeleted() {
        fixture.orphans(3, false);

        JsonNode report = json();
        assertThat(report.get("priority").asText()).isEqualTo("P2");
        assertThat(report.at("/snapshot/orphans/unhandled").asLong()).isEqualTo(3);
        assertThat(report.at("/snapshot/parityDelta").asLong()).isEqualTo(-3);
        assertThat(check("--fail-on", "P2").exitCode()).isEqualTo(1);

        db.execute("UPDATE public.users p SET deleted_at = now()"
                + " WHERE NOT EXISTS (SELECT 1 FROM auth.users a WHERE a.id = p.id)");

        JsonNode handled = json();
        assertThat(handled.get("priority").asText()).isEqualTo("OK");
        assertThat(handled.at("/snapshot/orphans/softDeleted").asLong()).isEqualTo(3);
        assertThat(check("--fail-on", "P2").exitCode()).isZero();
    }

    @Test
    void trapSameNamedTriggerOnAnotherTableIsReportedMissing() {
        fixture.dropTrigger();
        fixture.sameNameTriggerOnOtherTable();

        JsonNode report = json();

        assertThat(report.get("priority").asText()).isEqualTo("P0");
        assertThat(report.at("/snapshot/trigger/present").asBoolean()).isFalse();
        assertThat(report.at("/snapshot/trigger/sameNameElsewhere/0").asText()).isEqualTo("public.audit_log");
        assertThat(findingCodes(report)).containsExactly("trigger_missing");
        assertThat(report.at("/findings/0/runbookStep").asText()).isEqualTo("Step 3B");
    }

    @Test
    void trapAlwaysEnabledFiresAndReplicaEnabledDoesNot() {
        fixture.triggerState("ENABLE ALWAYS");
        assertThat(json().get("priority").asText()).isEqualTo("OK");

        fixture.triggerState("ENABLE REPLICA");
        JsonNode replica = json();
        assertThat(replica.get("priority").asText()).isEqualTo("P0");
        assertThat(findingCodes(replica)).containsExactly("trigger_replica_only");
    }

    @Test
    void trapPersistedReplicaRoleOnTheDatabaseIsNotFiring() {
        fixture.replicaForDatabase();

        JsonNode report = json();

        assertThat(report.get("priority").asText()).isEqualTo("P0");
        assertThat(report.at("/snapshot/trigger/tgenabled").asText()).isEqualTo("O");
        assertThat(report.at("/snapshot/trigger/enabled").asBoolean()).isFalse();
        assertThat(findingCodes(report)).containsExactly("trigger_suppressed");
        assertThat(report.at("/findings/0/actions/0").asText())
                .isEqualTo("ALTER DATABASE \"" + db.name() + "\" RESET session_replication_role;");
    }

    @Test
    void trapPersistedReplicaRoleOnTheSignupRoleIsNotFiring() {
        fixture.replicaForSignupRole();

        JsonNode report = json();

        assertThat(report.get("priority").asText()).isEqualTo("P0");
        assertThat(report.at("/snapshot/trigger/replicaOverrides/0/scope").asText())
                .isEqualTo("role supabase_auth_admin in database " + db.name());
    }

    @Test
    void trapGhostWithoutCreatedAtCountsAsOld() {
        fixture.ghostsWithoutCreatedAt(1);

        JsonNode report = json();

        assertThat(report.get("priority").asText()).isEqualTo("P0");
        assertThat(report.at("/snapshot/ghosts/withoutCreatedAt").asLong()).isEqualTo(1);
        assertThat(report.at("/ghostSample/0/createdAt").isNull()).isTrue();
    }

    @Test
    void stdoutHoldsOnlyTheReportAndNoEmailAppearsAnywhere() {
        fixture.ghosts(3, Duration.ofMinutes(5));
        fixture.orphans(1, false);

        Result table = check();
        Result json = check("--output", "json");

        assertThat(table.stdout()).startsWith("ghostwatch check: target it");
        assertThat(json.stdout().trim()).startsWith("{").endsWith("}");
        assertThat(json.stderr()).doesNotContain("\"schema\"");
        for (Result r : List.of(table, json)) {
            assertThat(r.stdout() + r.stderr()).doesNotContain("@example.com");
        }
    }

    @Test
    void theDemoSeedShowsRealFindings() {
        TestDatabase demo = TestDatabase.create("demo");
        try {
            demo.runResource("demo/schema.sql");
            demo.runResource("demo/seed.sql");
            Result r = Ghostwatch.against(demo).run("check", "--output", "json");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            JsonNode report = JSON.readTree(r.stdout());
            assertThat(report.get("priority").asText()).isEqualTo("P0");
            assertThat(report.at("/snapshot/ghosts/total").asLong()).isEqualTo(8);
            assertThat(report.at("/snapshot/orphans/unhandled").asLong()).isEqualTo(1);
            assertThat(findingCodes(report)).startsWith("trigger_disabled");
        } catch (IOException e) {
            throw new AssertionError(e);
        } finally {
            demo.close();
        }
    }
}
