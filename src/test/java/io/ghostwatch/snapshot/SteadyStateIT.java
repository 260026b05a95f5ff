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
    void aSoftDeletedOrphanBroughtBackIsReportedByTheNextRunWithoutAScan() {
        fixture.orphans(1, true);
        fullThenCounters();
        long before = changes("public.users");
        db.execute("UPDATE public.users SET deleted_at = NULL WHERE deleted_at IS NOT NULL");
        awaitChanges("public.users", before + 1);

        JsonNode next = check();

        // The orphan's id was kept and read again: the update is seen without scanning.
        assertThat(next.get("scan").asText()).as(next.get("scanReason").asText()).isEqualTo("counters");
        assertThat(next.at("/snapshot/orphans/unhandled").asLong()).isEqualTo(1);
        assertThat(next.at("/snapshot/orphans/softDeleted").asLong()).isZero();
        assertThat(next.get("priority").asText()).isEqualTo("P2");
        assertSameAsAFullScan(next);
    }

    // ── Steady state while ghosts and orphans stand (issue 25) ──────────────────────────────────────────────

    /** An incident being worked on: old and new ghosts, orphans handled and not, the trigger firing again. */
    private static void standingIncident() {
        fixture.ghosts(3, Duration.ofDays(2));
        fixture.ghosts(2, Duration.ofMinutes(10));
        fixture.orphans(2, false);
        fixture.orphans(1, true);
        assertThat(db.queryLong("SELECT count(*) FROM auth.users a WHERE NOT EXISTS (SELECT 1 FROM public.users p"
                + " WHERE p.id = a.id)")).as("the ghosts are real").isEqualTo(5);
    }

    /** What a full scan says now, compared field by field with a steady check's numbers. */
    private static void assertSameAsAFullScan(JsonNode steady, String... env) {
        String[] always = {"GHOSTWATCH_FULL_SCAN_INTERVAL", "0s"};
        String[] all = java.util.Arrays.copyOf(always, always.length + env.length);
        System.arraycopy(env, 0, all, always.length, env.length);
        JsonNode full = check(all);
        assertThat(full.get("scan").asText()).isEqualTo("full");
        for (String field : new String[] {"/snapshot/identities", "/snapshot/profiles", "/snapshot/ghosts/total",
                "/snapshot/ghosts/old", "/snapshot/ghosts/recent", "/snapshot/ghosts/oldestCreatedAt",
                "/snapshot/ghosts/sample", "/snapshot/orphans/unhandled", "/snapshot/orphans/softDeleted",
                "/priority"}) {
            assertThat(steady.at(field)).as(field).isEqualTo(full.at(field));
        }
        assertThat(codes(steady)).isEqualTo(codes(full));
    }

    private static java.util.List<String> codes(JsonNode report) {
        java.util.List<String> codes = new java.util.ArrayList<>();
        report.at("/findings").forEach(f -> codes.add(f.at("/code").asText()));
        return codes.stream().sorted().toList();
    }

    @Test
    void standingGhostsAndOrphansAreCarriedByTheirIdsWhenNothingChanged() {
        standingIncident();
        JsonNode first = check();
        assertThat(first.get("scan").asText()).isEqualTo("full");
        assertThat(db.queryLong("SELECT count(*) FROM ghostwatch.scan_unmatched")).as("every unmatched id kept")
                .isEqualTo(8);

        JsonNode steady = check();

        assertThat(steady.get("scan").asText()).as(steady.get("scanReason").asText()).isEqualTo("counters");
        assertThat(steady.get("scanReason").asText()).contains("neither table's counters moved",
                "8 unmatched rows the last full scan kept were counted as it read them");
        assertThat(steady.at("/snapshot/ghosts/total").asLong()).isEqualTo(5);
        assertThat(steady.at("/snapshot/ghosts/old").asLong()).isEqualTo(3);
        assertThat(steady.at("/snapshot/orphans/unhandled").asLong()).isEqualTo(2);
        assertThat(steady.get("priority").asText()).isEqualTo("P0");
        assertSameAsAFullScan(steady);
    }

    @Test
    void aQuietSteadyCheckCountsTheKeptRowsAsSavedWithoutReadingTheWatchedTables() {
        standingIncident();
        fullThenCounters();
        // Only the history's copy changes: were the watched tables read, the oldest ghost would stay as it is.
        db.execute("UPDATE ghostwatch.scan_unmatched SET created_at = created_at - interval '30 days'"
                + " WHERE side = 'identity' AND created_at = (SELECT min(created_at) FROM ghostwatch.scan_unmatched)");
        long truth = db.queryLong("SELECT extract(epoch FROM min(created_at))::bigint FROM auth.users a WHERE NOT"
                + " EXISTS (SELECT 1 FROM public.users p WHERE p.id = a.id)");

        JsonNode steady = check();

        assertThat(steady.get("scan").asText()).isEqualTo("counters");
        assertThat(java.time.Instant.parse(steady.at("/snapshot/ghosts/oldestCreatedAt").asText()))
                .isBefore(java.time.Instant.ofEpochSecond(truth).minus(Duration.ofDays(29)));
    }

    @Test
    void keptIdsWithoutTheirRowsFromAnEarlierVersionAreReadAgainInBothTables() {
        standingIncident();
        check();
        db.execute("UPDATE ghostwatch.scan_state SET unmatched_rows_kept = false",
                "UPDATE ghostwatch.scan_unmatched SET created_at = NULL, excluded = NULL, deleted = NULL, xid = NULL,"
                        + " soft_deleted = NULL");

        JsonNode steady = check();

        assertThat(steady.get("scan").asText()).as(steady.get("scanReason").asText()).isEqualTo("counters");
        assertThat(steady.get("scanReason").asText()).contains("read again by primary key in both tables");
        assertThat(steady.at("/snapshot/ghosts/total").asLong()).isEqualTo(5);
        assertSameAsAFullScan(steady);
    }

    @Test
    void anotherRuleForWhichRowsAreLeftOutMakesTheNextRunScanInFull() {
        fixture.anonymousGhosts(1);
        fullThenCounters();

        // The kept rows were judged under the old rule: the anonymous identity was a ghost then, and is not now.
        JsonNode next = check("GHOSTWATCH_IDENTITY_ANONYMOUS_USERS_HAVE_PROFILES", "false");

        assertThat(next.get("scan").asText()).isEqualTo("full");
        assertThat(next.get("scanReason").asText()).contains("tables or columns are not those the last full scan");
        assertThat(next.at("/snapshot/ghosts/total").asLong()).isZero();
        assertThat(next.at("/snapshot/ghosts/anonymousExcluded").asLong()).isEqualTo(1);
    }

    @Test
    void aGhostHardDeletedAndAnOrphansIdentityRestoredAreCountedWithoutAScan() {
        standingIncident();
        fullThenCounters();
        long before = changes("auth.users");
        // An admin deletes a ghost for good, and restores an orphan's identity from a backup (triggers off, as
        // restores run): one identity delete and one insert, each accounted for by a kept row.
        db.execute("DELETE FROM auth.users WHERE id = (SELECT a.id FROM auth.users a WHERE NOT EXISTS (SELECT 1"
                        + " FROM public.users p WHERE p.id = a.id) ORDER BY a.created_at, a.id LIMIT 1)",
                "BEGIN; SET LOCAL session_replication_role = replica; INSERT INTO auth.users (id, created_at)"
                        + " SELECT p.id, now() - interval '3 days' FROM public.users p WHERE p.deleted_at IS NULL"
                        + " AND NOT EXISTS (SELECT 1 FROM auth.users a WHERE a.id = p.id) ORDER BY p.id LIMIT 1;"
                        + " COMMIT");
        assertThat(db.queryLong("SELECT count(*) FROM public.users p WHERE p.deleted_at IS NULL AND NOT EXISTS"
                + " (SELECT 1 FROM auth.users a WHERE a.id = p.id)")).as("one unhandled orphan left").isEqualTo(1);
        awaitChanges("auth.users", before + 2);

        JsonNode next = check();

        assertThat(next.get("scan").asText()).as(next.get("scanReason").asText()).isEqualTo("counters");
        assertThat(next.get("scanReason").asText()).contains("read again by primary key in the identity table");
        assertThat(next.at("/snapshot/ghosts/total").asLong()).isEqualTo(4);
        assertThat(next.at("/snapshot/orphans/unhandled").asLong()).isEqualTo(1);
        assertSameAsAFullScan(next);
    }

    @Test
    void aStandingGhostSoftDeletedIsCountedAsDeletedWithoutAScan() {
        standingIncident();
        fullThenCounters();
        long before = changes("auth.users");
        db.execute("UPDATE auth.users SET deleted_at = now() WHERE id = (SELECT a.id FROM auth.users a WHERE NOT"
                + " EXISTS (SELECT 1 FROM public.users p WHERE p.id = a.id) ORDER BY a.created_at, a.id LIMIT 1)");
        awaitChanges("auth.users", before + 1);

        JsonNode next = check();

        assertThat(next.get("scan").asText()).as(next.get("scanReason").asText()).isEqualTo("counters");
        assertThat(next.get("scanReason").asText()).contains("read again by primary key in the identity table");
        assertThat(next.at("/snapshot/ghosts/total").asLong()).isEqualTo(4);
        assertThat(next.at("/snapshot/ghosts/deletedExcluded").asLong()).isEqualTo(1);
        assertSameAsAFullScan(next);
    }

    @Test
    void anAnonymousUserMadePermanentWithoutAProfileIsANewGhostWithoutAScan() {
        String[] anonymous = {"GHOSTWATCH_IDENTITY_ANONYMOUS_USERS_HAVE_PROFILES", "false"};
        fixture.anonymousGhosts(1);
        JsonNode first = check(anonymous);
        assertThat(first.at("/snapshot/ghosts/total").asLong()).isZero();
        assertThat(first.at("/snapshot/ghosts/anonymousExcluded").asLong()).isEqualTo(1);
        assertThat(check(anonymous).get("scan").asText()).isEqualTo("counters");
        long before = changes("auth.users");
        // Linking an e-mail to an anonymous sign-in makes it permanent by UPDATE: no INSERT trigger fires.
        db.execute("UPDATE auth.users SET is_anonymous = false, email = 'linked@example.com' WHERE is_anonymous");
        assertThat(db.queryLong("SELECT count(*) FROM auth.users a WHERE NOT a.is_anonymous AND NOT EXISTS"
                + " (SELECT 1 FROM public.users p WHERE p.id = a.id)")).as("the permanent user has no profile")
                .isEqualTo(1);
        awaitChanges("auth.users", before + 1);

        JsonNode next = check(anonymous);

        assertThat(next.get("scan").asText()).as(next.get("scanReason").asText()).isEqualTo("counters");
        assertThat(next.at("/snapshot/ghosts/total").asLong()).isEqualTo(1);
        assertThat(next.at("/snapshot/ghosts/anonymousExcluded").asLong()).isZero();
        assertSameAsAFullScan(next, anonymous);
    }

    @Test
    void aGhostBackfilledByHandIsCountedOutWithoutAScan() {
        standingIncident();
        fullThenCounters();
        long before = changes("public.users");
        db.execute("INSERT INTO public.users (id) SELECT id FROM auth.users a WHERE NOT EXISTS (SELECT 1 FROM"
                + " public.users p WHERE p.id = a.id) ORDER BY created_at LIMIT 1");
        awaitChanges("public.users", before + 1);

        JsonNode next = check();

        assertThat(next.get("scan").asText()).as(next.get("scanReason").asText()).isEqualTo("counters");
        assertThat(next.at("/snapshot/ghosts/total").asLong()).isEqualTo(4);
        assertThat(next.at("/snapshot/ghosts/old").asLong()).isEqualTo(2);
        assertSameAsAFullScan(next);
    }

    @Test
    void aNewGhostUnderTheDisabledTriggerBesidesTheStandingOnesIsFoundByAFullScan() {
        standingIncident();
        fixture.triggerState("DISABLE");
        fullThenCounters();
        long before = changes("auth.users");
        assertThat(fixture.signup(true).ghost()).as("the signup left a ghost").isTrue();
        awaitChanges("auth.users", before + 1);

        JsonNode next = check();

        assertThat(next.get("scan").asText()).isEqualTo("full");
        assertThat(next.get("scanReason").asText()).isEqualTo("1 identity inserts but 0 profile inserts besides the"
                + " 8 unmatched rows the last full scan kept");
        assertThat(next.at("/snapshot/ghosts/total").asLong()).isEqualTo(6);
    }

    @Test
    void aGhostCrossingOldAfterTurnsP0BetweenTwoSteadyChecks() throws InterruptedException {
        String[] oldAfter = {"GHOSTWATCH_POLICY_OLD_AFTER", "10s", "GHOSTWATCH_POLICY_RECENT_WINDOW", "1s"};
        fixture.ghosts(1, Duration.ofSeconds(1));
        JsonNode first = check(oldAfter);
        assertThat(first.get("scan").asText()).isEqualTo("full");
        assertThat(first.at("/snapshot/ghosts/old").asLong()).isZero();
        assertThat(first.get("priority").asText()).isNotEqualTo("P0");
        Eventually.await("the ghost to be older than old-after", Duration.ofSeconds(40),
                () -> db.queryLong("SELECT count(*) FROM auth.users a WHERE NOT EXISTS (SELECT 1 FROM public.users p"
                        + " WHERE p.id = a.id) AND a.created_at < now() - interval '11 seconds'"), n -> n == 1);

        JsonNode later = check(oldAfter);

        assertThat(later.get("scan").asText()).as(later.get("scanReason").asText()).isEqualTo("counters");
        assertThat(later.at("/snapshot/ghosts/old").asLong()).isEqualTo(1);
        assertThat(later.get("priority").asText()).isEqualTo("P0");
        assertThat(codes(later)).contains("ghost_users_old");
    }

    @Test
    void anOrphanSoftDeletedIsCountedAsHandledWithoutAScan() {
        standingIncident();
        fullThenCounters();
        long before = changes("public.users");
        db.execute("UPDATE public.users SET deleted_at = now() WHERE id = (SELECT p.id FROM public.users p"
                + " WHERE p.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM auth.users a WHERE a.id = p.id)"
                + " ORDER BY p.id LIMIT 1)");
        awaitChanges("public.users", before + 1);

        JsonNode next = check();

        assertThat(next.get("scan").asText()).as(next.get("scanReason").asText()).isEqualTo("counters");
        assertThat(next.at("/snapshot/orphans/unhandled").asLong()).isEqualTo(1);
        assertThat(next.at("/snapshot/orphans/softDeleted").asLong()).isEqualTo(2);
        assertSameAsAFullScan(next);
    }

    @Test
    void moreUnmatchedRowsThanTheBoundAreScannedInFullAndSaySo() {
        standingIncident();
        String[] bound = {"GHOSTWATCH_STEADY_STATE_MAX_UNMATCHED", "7"};
        assertThat(check(bound).get("scan").asText()).isEqualTo("full");
        assertThat(db.queryLong("SELECT count(*) FROM ghostwatch.scan_unmatched")).isZero();

        JsonNode next = check(bound);

        assertThat(next.get("scan").asText()).isEqualTo("full");
        assertThat(next.get("scanReason").asText()).contains("8 unmatched rows", "kept no ids",
                "ghostwatch.steady-state-max-unmatched");
        assertThat(next.at("/snapshot/ghosts/total").asLong()).isEqualTo(5);
    }

    @Test
    void aTruncatedProfileTableIsScannedInFullThoughNoDeleteWasCounted() {
        fullThenCounters();
        db.execute("TRUNCATE public.users");
        assertThat(db.queryLong("SELECT count(*) FROM auth.users a WHERE NOT EXISTS (SELECT 1 FROM public.users p"
                + " WHERE p.id = a.id)")).as("every identity is a ghost now").isEqualTo(10);

        JsonNode next = check();

        assertThat(next.get("scan").asText()).isEqualTo("full");
        assertThat(next.get("scanReason").asText()).contains("truncated");
        assertThat(next.at("/snapshot/ghosts/total").asLong()).isEqualTo(10);
    }

    @Test
    void theCanarysRolledBackSignupsDoNotInflateTheCarriedCounts() {
        String[] canary = {"GHOSTWATCH_CANARY_ENABLED", "true"};
        JsonNode first = check(canary);
        assertThat(first.get("scan").asText()).isEqualTo("full");
        long inserts = fixture.identityInsertsCounted();
        for (int i = 0; i < 2; i++) {
            JsonNode steady = check(canary);
            assertThat(steady.at("/snapshot/canary/outcome").asText()).isEqualTo("profile_created");
            fixture.awaitIdentityInsertsCounted(inserts + i + 1); // the canary's insert, rolled back, counted
            assertThat(steady.get("scan").asText()).as(steady.get("scanReason").asText()).isEqualTo("counters");
            assertThat(steady.at("/snapshot/identities").asLong()).isEqualTo(10);
            assertThat(steady.at("/snapshot/profiles").asLong()).isEqualTo(10);
        }
        JsonNode after = check(canary);
        assertThat(after.get("scan").asText()).isEqualTo("counters");
        assertThat(fixture.identityInsertsCounted()).as("rolled-back inserts were counted").isGreaterThan(inserts);
        assertThat(after.at("/snapshot/identities").asLong()).isEqualTo(10);
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
