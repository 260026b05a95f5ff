package io.ghostwatch.snapshot;

import io.ghostwatch.history.HistorySettings;
import io.ghostwatch.history.HistoryStore;
import io.ghostwatch.sql.Identifier;
import io.ghostwatch.testing.Eventually;
import io.ghostwatch.testing.SupabaseDatabaseTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A seeded random walk through what people do to a database while ghosts and orphans stand (backfill a ghost,
 * delete or soft-delete one, convert an anonymous sign-in, soft-delete, restore or delete an orphan, restore
 * its identity, sign users up, sign them in, and now and then make a new ghost): after every step, a steady
 * check's numbers must equal a full scan's of the same moment, or the check must have scanned in full.
 */
class SteadyDifferentialTest extends SupabaseDatabaseTest {

    private static final int STEPS = 40;
    private static final String TARGET = "differential";
    private static final HistorySettings HISTORY = new HistorySettings(true, Identifier.of("ghostwatch"),
            Duration.ofDays(30), Duration.ofDays(400));
    private static final Identifier DELETED_AT = Identifier.of("deleted_at");

    /** Supabase's layout with anonymous sign-ins exempt and deleted users left out: every kind of kept row. */
    private static TargetSchema schema() {
        TargetSchema d = TargetSchema.supabaseDefaults();
        return new TargetSchema(d.identityTable(), d.identityId(), d.identityCreatedAt(),
                Optional.of(Identifier.of("is_anonymous")), d.profileTable(), d.profileId(), d.softDeleteColumn(),
                d.triggerName(), d.triggerFunction(), d.signupRole(), Optional.of(DELETED_AT), true, Optional.empty(),
                false, Optional.empty(), false);
    }

    private static SnapshotRequest request(Duration interval) {
        return new SnapshotRequest(Duration.ofDays(1), Duration.ofHours(1), 20, Duration.ofSeconds(30),
                Duration.ofSeconds(5), Optional.of(new HistoryTables(HISTORY.table("check_runs"),
                HISTORY.table("scan_state"), HISTORY.table("scan_unmatched"), TARGET)), interval);
    }

    /** A step people take, when {@code applies} (a count) finds something to take it on. */
    private record Step(String name, boolean keepsLockstep, String applies, String... sql) {
    }

    private static final String GHOSTS = " FROM auth.users a WHERE a.deleted_at IS NULL AND NOT a.is_anonymous"
            + " AND NOT EXISTS (SELECT 1 FROM public.users p WHERE p.id = a.id)";
    private static final String ORPHANS = " FROM public.users p WHERE NOT EXISTS (SELECT 1 FROM auth.users a"
            + " WHERE a.id = p.id)";
    private static final String A_GHOST = "(SELECT a.id" + GHOSTS + " ORDER BY random() LIMIT 1)";
    private static final String AN_ORPHAN = "(SELECT p.id" + ORPHANS + " ORDER BY random() LIMIT 1)";
    private static final String ANY = "SELECT 1";

    private static final List<Step> STEPS_TO_TAKE = List.of(
            new Step("a ghost backfilled by hand", true, "SELECT count(*)" + GHOSTS,
                    "INSERT INTO public.users (id) SELECT " + A_GHOST),
            new Step("a ghost hard-deleted", true, "SELECT count(*)" + GHOSTS,
                    "DELETE FROM auth.users WHERE id = " + A_GHOST),
            new Step("a ghost soft-deleted", true, "SELECT count(*)" + GHOSTS,
                    "UPDATE auth.users SET deleted_at = now() WHERE id = " + A_GHOST),
            new Step("an anonymous sign-in made permanent", true, "SELECT count(*) FROM auth.users WHERE is_anonymous",
                    "UPDATE auth.users SET is_anonymous = false WHERE id = (SELECT id FROM auth.users"
                            + " WHERE is_anonymous ORDER BY random() LIMIT 1)"),
            new Step("an orphan soft-deleted", true, "SELECT count(*)" + ORPHANS + " AND p.deleted_at IS NULL",
                    "UPDATE public.users SET deleted_at = now() WHERE id = (SELECT p.id" + ORPHANS
                            + " AND p.deleted_at IS NULL ORDER BY random() LIMIT 1)"),
            new Step("a soft-deleted orphan brought back", true, "SELECT count(*)" + ORPHANS
                    + " AND p.deleted_at IS NOT NULL", "UPDATE public.users SET deleted_at = NULL WHERE id ="
                    + " (SELECT p.id" + ORPHANS + " AND p.deleted_at IS NOT NULL ORDER BY random() LIMIT 1)"),
            new Step("an orphan deleted", true, "SELECT count(*)" + ORPHANS,
                    "DELETE FROM public.users WHERE id = " + AN_ORPHAN),
            new Step("an orphan's identity restored from a backup", true, "SELECT count(*)" + ORPHANS,
                    "BEGIN; SET LOCAL session_replication_role = replica; INSERT INTO auth.users (id, created_at)"
                            + " SELECT " + AN_ORPHAN + ", now() - interval '3 days'; COMMIT"),
            new Step("healthy signups", true, ANY, "INSERT INTO auth.users (id, email, created_at) SELECT"
                    + " gen_random_uuid(), 'walk-' || gen_random_uuid() || '@example.com', now()"
                    + " FROM generate_series(1, 3)"),
            new Step("sign-ins", true, ANY, "UPDATE auth.users SET last_sign_in_at = now() WHERE id IN (SELECT id FROM"
                    + " auth.users ORDER BY random() LIMIT 3)"),
            new Step("a user deleted with their profile", true, "SELECT count(*) FROM auth.users a JOIN public.users"
                    + " p ON p.id = a.id", "WITH u AS (SELECT a.id FROM auth.users a JOIN public.users p ON p.id ="
                    + " a.id ORDER BY random() LIMIT 1), gone AS (DELETE FROM public.users WHERE id IN (SELECT id"
                    + " FROM u)) DELETE FROM auth.users WHERE id IN (SELECT id FROM u)"),
            new Step("a new ghost (the trigger skipped)", false, ANY, "BEGIN; SET LOCAL session_replication_role ="
                    + " replica; INSERT INTO auth.users (id, created_at) VALUES (gen_random_uuid(), now()); COMMIT"));

    @Test
    void everySteadyCheckEqualsAFullScanOfTheSameMoment() throws SQLException, IOException {
        fixture.reset();
        fixture.users(20, Duration.ofDays(3));
        fixture.ghosts(4, Duration.ofDays(2));
        fixture.ghosts(3, Duration.ofMinutes(20));
        fixture.anonymousGhosts(3);
        fixture.orphans(3, false);
        fixture.orphans(2, true);
        migrateHistory();
        TargetSchema schema = schema();
        SnapshotReader reader = new SnapshotReader(schema);
        Random random = new Random(20261203L); // random() in the steps' SQL varies the rows, not the steps
        int steady = 0;
        List<String> taken = new ArrayList<>();
        try (Connection c = db.connect()) {
            keep(c, reader.read(c, request(Duration.ZERO)));
            for (int i = 0; i < STEPS; i++) {
                Step step = STEPS_TO_TAKE.get(random.nextInt(STEPS_TO_TAKE.size()));
                if (db.queryLong(step.applies()) == 0) {
                    continue;
                }
                taken.add(step.name());
                long before = changes();
                db.execute(step.sql());
                // The step's session has closed: wait for its counts to reach pg_stat_user_tables.
                Eventually.await("the counts of " + step.name(), Duration.ofSeconds(20),
                        SteadyDifferentialTest::changes,
                        n -> n > before);
                Snapshot check = reader.read(c, request(Duration.ofHours(1)));
                Snapshot truth = reader.read(c, request(Duration.ZERO));
                String where = "after " + taken + ": " + check.scan();
                assertThat(check.ghosts()).as(where).isEqualTo(truth.ghosts());
                assertThat(check.orphans()).as(where).isEqualTo(truth.orphans());
                if (check.scan().full()) {
                    keep(c, check);
                } else {
                    steady++;
                    assertThat(step.keepsLockstep()).as(where).isTrue();
                }
            }
        }
        System.out.printf("%d steps taken, %d checked steady: %s%n", taken.size(), steady, taken);
        // The walk must have exercised the steady path, not only full scans.
        assertThat(steady).as("steady checks among " + taken).isGreaterThanOrEqualTo(taken.size() / 2);
    }

    /** What CheckService does after a full scan: its baseline becomes the next checks' reference. */
    private static void keep(Connection c, Snapshot full) throws SQLException {
        assertThat(full.scan().full()).isTrue();
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(true);
        HistoryStore.saveBaseline(c, HISTORY, TARGET, full.baseline().orElseThrow());
        c.setAutoCommit(autoCommit);
    }

    private static long changes() {
        return db.queryLong("SELECT sum(n_tup_ins + n_tup_upd + n_tup_del)::bigint FROM pg_stat_user_tables"
                + " WHERE relid IN ('auth.users'::regclass, 'public.users'::regclass)");
    }

    /** The history tables a steady check reads and a full scan writes (V3, V5-V8, V12), as the benchmark sets them up. */
    private static void migrateHistory() throws IOException {
        db.execute("DROP SCHEMA IF EXISTS ghostwatch CASCADE", "CREATE SCHEMA ghostwatch");
        for (String v : List.of("V3__scan_state", "V5__signup_state", "V6__deleted_identities", "V7__unmatched_ids",
                "V8__unmatched_rows", "V12__left_out_before")) {
            db.execute("SET search_path = ghostwatch; "
                    + Files.readString(Path.of("src/main/resources/db/migration/" + v + ".sql")));
        }
    }
}
