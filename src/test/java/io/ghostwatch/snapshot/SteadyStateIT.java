package io.ghostwatch.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ghostwatch.testing.Eventually;
import io.ghostwatch.testing.Ghostwatch;
import io.ghostwatch.testing.SupabaseDatabaseTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The steady state through the packaged {@code check} on a real PostgreSQL: after a full scan, a run whose
 * counters moved in lockstep carries the numbers; every change that could alter them makes the next run scan
 * in full and report it.
 */
class SteadyStateIT extends SupabaseDatabaseTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void cleanBaseline() {
        db.execute("DROP SCHEMA IF EXISTS ghostwatch CASCADE");
        fixture.reset();
        fixture.users(10, Duration.ofDays(1));
    }

    private static JsonNode check(String... env) {
        Ghostwatch g = Ghostwatch.against(db);
        for (int i = 0; i < env.length; i += 2) {
            g.env(env[i], env[i + 1]);
        }
        Ghostwatch.Result r = g.run("check", "--output", "json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        try {
            return JSON.readTree(r.stdout());
        } catch (IOException e) {
            throw new AssertionError(r.toString(), e);
        }
    }

    private static long changes(String table) {
        return db.queryLong("SELECT coalesce((SELECT n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables"
                + " WHERE relid = ?::regclass), 0)", table);
    }

    /** A closed session's counters reach pg_stat_user_tables when its backend exits: wait for that. */
    private static void awaitChanges(String table, long atLeast) {
        Eventually.await("the statistics of the fixture's sessions on " + table, Duration.ofSeconds(20),
                () -> changes(table), n -> n >= atLeast);
    }

    private static JsonNode fullThenCounters() {
        JsonNode first = check();
        assertThat(first.get("scan").asText()).isEqualTo("full");
        JsonNode second = check();
        assertThat(second.get("scan").asText()).as(second.get("scanReason").asText()).isEqualTo("counters");
        return first;
    }

    @Test
    void aSteadyRunCarriesTheFullScansNumbersAndSaysSo() {
        JsonNode first = check();
        assertThat(first.get("scan").asText()).isEqualTo("full");
        assertThat(first.get("scanReason").asText()).contains("no earlier full scan");

        JsonNode steady = check();
        assertThat(steady.get("scan").asText()).isEqualTo("counters");
        assertThat(steady.get("lastFullScanAt").asText()).isEqualTo(first.get("lastFullScanAt").asText());
        assertThat(steady.at("/snapshot/identities").asLong()).isEqualTo(10);
        assertThat(steady.at("/snapshot/ghosts/total").asLong()).isZero();
        assertThat(steady.get("priority").asText()).isEqualTo("OK");

        // A healthy signup moves both tables in lockstep: still no scan, and the row counts follow.
        long before = changes("public.users");
        assertThat(fixture.signup(true).synced()).isTrue();
        awaitChanges("public.users", before + 1);
        JsonNode after = check();
        assertThat(after.get("scan").asText()).isEqualTo("counters");
        assertThat(after.at("/snapshot/identities").asLong()).isEqualTo(11);
        assertThat(after.at("/snapshot/profiles").asLong()).isEqualTo(11);

        Ghostwatch.Result table = Ghostwatch.against(db).run("check");
        assertThat(table.stdout()).contains("Scan: counters (numbers of the full scan at");
    }

    @Test
    void aSignupWhileTheTriggerIsDisabledIsReportedByTheNextRun() {
        fullThenCounters();
        fixture.triggerState("DISABLE");
        assertThat(fixture.signup(true).ghost()).isTrue();

        JsonNode next = check();

        assertThat(next.get("scan").asText()).isEqualTo("full");
        assertThat(next.get("scanReason").asText()).contains("trigger");
        assertThat(next.at("/snapshot/ghosts/total").asLong()).isEqualTo(1);
        assertThat(next.get("priority").asText()).isEqualTo("P0");
    }

    @Test
    void aGhostUnderAFiringTriggerBreaksTheLockstep() {
        fullThenCounters();
        long before = changes("auth.users");
        fixture.ghosts(1, Duration.ofMinutes(1)); // the trigger skipped, its state unchanged
        awaitChanges("auth.users", before + 1);

        JsonNode next = check();

        assertThat(next.get("scan").asText()).isEqualTo("full");
        assertThat(next.get("scanReason").asText()).isEqualTo("1 identity inserts but 0 profile inserts");
        assertThat(next.at("/snapshot/ghosts/total").asLong()).isEqualTo(1);
    }

    @Test
    void aProfileDeletedByHandIsReportedByTheNextRun() {
        fullThenCounters();
        long before = changes("public.users");
        db.execute("DELETE FROM public.users WHERE id = (SELECT id FROM public.users ORDER BY id LIMIT 1)");
        awaitChanges("public.users", before + 1);

        JsonNode next = check();

        assertThat(next.get("scan").asText()).isEqualTo("full");
        assertThat(next.get("scanReason").asText()).contains("0 identity deletes but 1 profile deletes");
        assertThat(next.at("/snapshot/ghosts/total").asLong()).isEqualTo(1);
    }

    @Test
    void aSoftDeletedOrphanBroughtBackIsReportedByTheNextRun() {
        fixture.orphans(1, true);
        fullThenCounters();
        long before = changes("public.users");
        db.execute("UPDATE public.users SET deleted_at = NULL WHERE deleted_at IS NOT NULL");
        awaitChanges("public.users", before + 1);

        JsonNode next = check();

        assertThat(next.get("scan").asText()).isEqualTo("full");
        assertThat(next.get("scanReason").asText()).contains("profile updates while soft-deleted orphans exist");
        assertThat(next.at("/snapshot/orphans/unhandled").asLong()).isEqualTo(1);
        assertThat(next.get("priority").asText()).isEqualTo("P2");
    }

    @Test
    void aStatisticsResetMakesTheNextRunScanInFull() {
        fullThenCounters();
        db.execute("SELECT pg_stat_reset_single_table_counters('auth.users'::regclass)");

        JsonNode next = check();

        assertThat(next.get("scan").asText()).isEqualTo("full");
        // PostgreSQL stamps the database's stats_reset for a single table's reset too.
        assertThat(next.get("scanReason").asText()).contains("reset");
    }

    @Test
    void aChangedTriggerStateMakesTheNextRunScanInFull() {
        fullThenCounters();
        fixture.triggerState("ENABLE ALWAYS");

        JsonNode next = check();

        assertThat(next.get("scan").asText()).isEqualTo("full");
        assertThat(next.get("scanReason").asText()).isEqualTo("the trigger's state changed");
    }

    @Test
    void theIntervalBoundsHowLongNumbersAreCarriedEvenWhenTheCountersCannotTell() throws InterruptedException {
        String[] interval = {"GHOSTWATCH_FULL_SCAN_INTERVAL", "20s"};
        long start = System.nanoTime();
        assertThat(check(interval).get("scan").asText()).isEqualTo("full");
        // A ghost and a hand-inserted profile in the same interval: the counters move in lockstep.
        long identities = changes("auth.users");
        long profiles = changes("public.users");
        fixture.ghosts(1, Duration.ofMinutes(1));
        db.execute("INSERT INTO public.users (id) VALUES (gen_random_uuid())");
        awaitChanges("auth.users", identities + 1);
        awaitChanges("public.users", profiles + 1);
        JsonNode blind = check(interval);
        assertThat(blind.get("scan").asText()).isEqualTo("counters");
        assertThat(blind.at("/snapshot/ghosts/total").asLong()).as("the known blind spot (README)").isZero();
        Thread.sleep(Math.max(0, 25_000 - (System.nanoTime() - start) / 1_000_000));

        JsonNode next = check(interval);

        assertThat(next.get("scan").asText()).isEqualTo("full");
        assertThat(next.get("scanReason").asText()).contains("interval");
        assertThat(next.at("/snapshot/ghosts/total").asLong()).isEqualTo(1);
        assertThat(next.at("/snapshot/orphans/unhandled").asLong()).isEqualTo(1);
    }

    @Test
    void withoutHistoryEveryRunScansInFull() {
        for (int i = 0; i < 2; i++) {
            JsonNode r = check("GHOSTWATCH_HISTORY_ENABLED", "false");
            assertThat(r.get("scan").asText()).isEqualTo("full");
            assertThat(r.get("scanReason").asText()).contains("no history");
        }
    }
}
