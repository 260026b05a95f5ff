package io.ghostwatch.signups;

import com.fasterxml.jackson.databind.JsonNode;
import io.ghostwatch.testing.AuthServerDatabaseTest;
import io.ghostwatch.testing.Ghostwatch;
import io.ghostwatch.testing.SupabaseFixture.Signup;
import io.ghostwatch.testing.SupabaseFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failing signups seen without the canary, from what the database itself counts: every signup here is a real
 * one, on a connection that logs in as {@code supabase_auth_admin} (owner of {@code auth.users}, with
 * {@code search_path = auth} persisted), and {@code check} runs before them as a CronJob would. The incident
 * is the Supabase starter's {@code username_length} check, which the catalog cannot prove fails a signup: it
 * depends on what the user typed ("Database error saving new user").
 */
class FailingSignupsIT extends AuthServerDatabaseTest {

    @BeforeEach
    void incident() {
        fixture.users(5, Duration.ofDays(2));
        // The User Management Starter's profile: a username of at least three characters, from the signup form.
        db.execute("ALTER TABLE public.users ADD COLUMN username text CONSTRAINT username_length"
                        + " CHECK (char_length(username) >= 3)",
                "CREATE OR REPLACE FUNCTION public.handle_new_user() RETURNS trigger LANGUAGE plpgsql SECURITY"
                        + " DEFINER SET search_path = '' AS $$ BEGIN INSERT INTO public.users (id, email, username)"
                        + " VALUES (NEW.id, NEW.email, NEW.raw_user_meta_data->>'username'); RETURN NEW; END $$");
    }

    /** A signup whose form gave this username (committed when it succeeds, as the auth server does). */
    private Signup signup(String username) {
        long before = fixture.identityInsertsCounted();
        Signup s = fixture.signupWithMetadata("{\"username\": \"" + username + "\"}", true);
        fixture.awaitIdentityInsertsCounted(before + 1);
        return s;
    }

    private void failingSignups(int n) {
        for (int i = 0; i < n; i++) {
            Signup s = signup("x" + i);
            assertThat(s.failed()).as("the incident is real: a two-letter username fails the signup").isTrue();
            assertThat(s.error()).contains("username_length");
        }
    }

    private void committedSignups(int n) {
        for (int i = 0; i < n; i++) {
            assertThat(signup("user" + i).synced()).as("a signup with a valid username syncs").isTrue();
        }
    }

    private JsonNode check(String... env) {
        Ghostwatch g = Ghostwatch.against(db);
        for (int i = 0; i < env.length; i += 2) {
            g.env(env[i], env[i + 1]);
        }
        Ghostwatch.Result r = g.run("check", "--output", "json");
        assertThat(r.stdout() + r.stderr()).doesNotContain("@example.com");
        return r.json();
    }

    private static List<String> codes(JsonNode report) {
        List<String> codes = new ArrayList<>();
        report.get("findings").forEach(f -> codes.add(f.get("code").asText()));
        return codes;
    }

    private static JsonNode finding(JsonNode report, String code) {
        for (JsonNode f : report.get("findings")) {
            if (f.get("code").asText().equals(code)) {
                return f;
            }
        }
        throw new AssertionError("no finding " + code + " in " + report.get("findings"));
    }

    @Test
    void threeRolledBackSignupsAreP0WithTheCanaryOffAndStandUntilOneCommits() {
        JsonNode first = check();
        assertThat(first.get("priority").asText()).isEqualTo("OK");
        assertThat(first.at("/snapshot/signups/counted").asBoolean()).isFalse();
        assertThat(first.at("/snapshot/signups/unknown").asText()).contains("first check");
        assertThat(first.get("findings")).as("nothing before the first check to count from: no finding").isEmpty();
        String before = fixture.checksum();

        failingSignups(3);
        assertThat(fixture.checksum()).as("the failed signups left nothing behind").isEqualTo(before);
        JsonNode failing = check();

        assertThat(failing.get("priority").asText()).isEqualTo("P0");
        assertThat(codes(failing).get(0)).isEqualTo("signups_failing");
        assertThat(failing.at("/snapshot/ghosts/total").asLong()).as("a failed signup leaves no ghost").isZero();
        JsonNode counts = failing.at("/snapshot/signups");
        assertThat(counts.get("attempted").asLong()).isEqualTo(3);
        assertThat(counts.get("committed").asLong()).isZero();
        assertThat(counts.get("rolledBack").asLong()).isEqualTo(3);
        assertThat(counts.get("failing").asBoolean()).isTrue();
        assertThat(counts.get("since").asText()).isEqualTo(first.get("databaseTime").asText());
        assertThat(finding(failing, "signups_failing").get("summary").asText())
                .contains("3 attempts rolled back and none committed").contains("cause unknown");

        // Light traffic: no attempt since, and nothing committed either: the P0 stands, it does not flicker.
        JsonNode quiet = check();
        assertThat(quiet.get("priority").asText()).isEqualTo("P0");
        assertThat(quiet.at("/snapshot/signups/attempted").asLong()).isZero();
        assertThat(quiet.at("/snapshot/signups/rolledBackSinceLastCommit").asLong()).isEqualTo(3);

        committedSignups(1);
        JsonNode recovered = check();
        assertThat(recovered.get("priority").asText()).isEqualTo("OK");
        assertThat(recovered.at("/snapshot/signups/committed").asLong()).isEqualTo(1);
        assertThat(recovered.at("/snapshot/signups/failing").asBoolean()).isFalse();
        assertThat(recovered.at("/snapshot/signups/lastCommitSeenAt").asText())
                .isEqualTo(recovered.get("databaseTime").asText());
        assertThat(recovered.get("findings")).isEmpty();
    }

    @Test
    void fewerRollbacksThanThePolicyAreP1AndAddUpAcrossChecks() {
        check();
        failingSignups(2);
        JsonNode two = check();
        assertThat(two.get("priority").asText()).isEqualTo("P1");
        assertThat(codes(two)).containsExactly("signups_rolled_back");

        failingSignups(1);
        JsonNode three = check();
        assertThat(three.get("priority").asText()).as("three since the last commit, across two checks")
                .isEqualTo("P0");
        assertThat(three.at("/snapshot/signups/rolledBack").asLong()).isEqualTo(1);
        assertThat(three.at("/snapshot/signups/rolledBackSinceLastCommit").asLong()).isEqualTo(3);

        JsonNode stricter = check("GHOSTWATCH_POLICY_FAILED_SIGNUPS_P0", "10");
        assertThat(stricter.get("priority").asText()).as("the policy's number decides").isNotEqualTo("P0");
    }

    @Test
    void someSignupsCommittingBesideRollbacksIsP1WithBothCounts() {
        check();
        committedSignups(2);
        failingSignups(3);

        JsonNode mixed = check();

        assertThat(mixed.get("priority").asText()).isEqualTo("P1");
        assertThat(codes(mixed)).containsExactly("signups_rolled_back");
        JsonNode counts = mixed.at("/snapshot/signups");
        assertThat(counts.get("attempted").asLong()).isEqualTo(5);
        assertThat(counts.get("committed").asLong()).isEqualTo(2);
        assertThat(counts.get("rolledBack").asLong()).isEqualTo(3);
        assertThat(counts.get("committedExact").asBoolean()).isTrue();
        assertThat(finding(mixed, "signups_rolled_back").get("summary").asText())
                .contains("attempted 5, committed 2, rolled back 3");
    }

    @Test
    void aStatisticsResetBetweenChecksIsSaidNotCountedAndCountingStartsAgain() {
        check();
        failingSignups(2);
        db.execute("SELECT pg_stat_reset()");

        JsonNode reset = check();
        assertThat(reset.get("priority").asText()).isEqualTo("OK");
        assertThat(codes(reset)).containsExactly("signups_not_counted");
        assertThat(finding(reset, "signups_not_counted").get("summary").asText()).contains("statistics were reset");

        failingSignups(3);
        JsonNode after = check();
        assertThat(after.get("priority").asText()).isEqualTo("P0");
        assertThat(after.at("/snapshot/signups/rolledBack").asLong()).isEqualTo(3);
    }

    @Test
    void theCanarysOwnRolledBackInsertsAreNeverCountedAsFailures() {
        long start = fixture.identityInsertsCounted();
        JsonNode first = check("GHOSTWATCH_CANARY_ENABLED", "true");
        assertThat(first.at("/snapshot/canary/outcome").asText()).isEqualTo("profile_created");
        for (int run = 1; run <= 2; run++) {
            fixture.awaitIdentityInsertsCounted(start + run); // the last check's canary, as the server counted it
            JsonNode next = check("GHOSTWATCH_CANARY_ENABLED", "true");
            assertThat(next.get("priority").asText()).isEqualTo("OK");
            assertThat(next.at("/snapshot/signups/attempted").asLong()).isZero();
            assertThat(next.at("/snapshot/signups/rolledBack").asLong()).isZero();
            assertThat(next.at("/snapshot/signups/canaryExcluded").asLong()).isEqualTo(1);
        }

        // While signups fail, the canary's failed insert (which wrote its row too) is still not one of them.
        fixture.awaitIdentityInsertsCounted(start + 3);
        failingSignups(3);
        String shortName = "raw_user_meta_data={\"username\": \"ab\"}"; // the canary's signup fails as well
        JsonNode failing = check("GHOSTWATCH_CANARY_ENABLED", "true", "GHOSTWATCH_CANARY_VALUES", shortName);
        assertThat(failing.get("priority").asText()).isEqualTo("P0");
        assertThat(failing.at("/snapshot/canary/outcome").asText()).isEqualTo("insert_failed");
        assertThat(codes(failing)).contains("signups_failing", "canary_insert_failed");
        assertThat(failing.at("/snapshot/signups/rolledBack").asLong()).isEqualTo(3);

        fixture.awaitIdentityInsertsCounted(start + 7);
        JsonNode after = check("GHOSTWATCH_CANARY_ENABLED", "true");
        assertThat(after.at("/snapshot/signups/attempted").asLong()).as("the failed canary's row excluded").isZero();
        assertThat(after.at("/snapshot/signups/canaryExcluded").asLong()).isEqualTo(1);
    }

    @Test
    void withoutHistoryTheReportSaysSignupsAreNotCounted() {
        Ghostwatch.Result table = Ghostwatch.against(db).env("GHOSTWATCH_HISTORY_ENABLED", "false").run("check");
        assertThat(table.exitCode()).as(table.toString()).isZero();
        assertThat(table.stdout()).contains("Signups: not counted (history is off");
        JsonNode json = check("GHOSTWATCH_HISTORY_ENABLED", "false");
        assertThat(json.at("/snapshot/signups").isNull()).isTrue();
    }
}
