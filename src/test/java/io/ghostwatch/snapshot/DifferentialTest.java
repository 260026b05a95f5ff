package io.ghostwatch.snapshot;

import io.ghostwatch.testing.SupabaseDatabaseTest;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many seeded random databases; ghostwatch's numbers must equal the runbook's own SQL, or the corrected SQL
 * where DESIGN.md says the runbook is wrong. Whether the trigger fires is checked against behaviour itself:
 * a probe signup as the signup role, rolled back.
 */
class DifferentialTest extends SupabaseDatabaseTest {

    private static final int CASES = 40;
    private static final SnapshotRequest REQUEST = new SnapshotRequest(Duration.ofHours(24), Duration.ofHours(1),
            20, Duration.ofSeconds(30), Duration.ofSeconds(5));

    // The runbook's "Manual Check", verbatim.
    private static final String RUNBOOK_GHOST_COUNT = """
            SELECT COUNT(*)
            FROM auth.users au
            LEFT JOIN public.users pu ON au.id = pu.id
            WHERE pu.id IS NULL""";

    // Step 1, verbatim, as a subquery. Corrected: a NULL created_at (days_old NULL) counts as old.
    private static final String STEP1 = """
            SELECT
              au.id,
              au.email,
              au.created_at,
              EXTRACT(DAY FROM (NOW() - au.created_at))::INTEGER as days_old
            FROM auth.users au
            LEFT JOIN public.users pu ON au.id = pu.id
            WHERE pu.id IS NULL
            ORDER BY au.created_at DESC""";
    private static final String OLD_GHOSTS =
            "SELECT count(*) FROM (" + STEP1 + ") s WHERE s.days_old >= 1 OR s.created_at IS NULL";
    private static final String RECENT_GHOSTS =
            "SELECT count(*) FROM (" + STEP1 + ") s WHERE s.created_at >= NOW() - interval '1 hour'";
    private static final String NULL_CREATED_GHOSTS =
            "SELECT count(*) FROM (" + STEP1 + ") s WHERE s.created_at IS NULL";

    // Scenario 4's check_orphaned_profiles() is not in the runbook; corrected: soft-deleted profiles are handled.
    private static final String ORPHANS = """
            SELECT count(*) FROM public.users pu LEFT JOIN auth.users au ON au.id = pu.id
            WHERE au.id IS NULL AND pu.deleted_at IS NULL""";
    private static final String SOFT_DELETED_ORPHANS = """
            SELECT count(*) FROM public.users pu LEFT JOIN auth.users au ON au.id = pu.id
            WHERE au.id IS NULL AND pu.deleted_at IS NOT NULL""";
    private static final String PARITY = "SELECT (SELECT count(*) FROM auth.users) - (SELECT count(*) FROM public.users)";

    // Step 2 corrected: name and table.
    private static final String TRIGGER_ON_TABLE = """
            SELECT count(*) FROM pg_trigger
            WHERE tgname = 'on_auth_user_created' AND tgrelid = 'auth.users'::regclass""";


    @Test
    void ghostwatchAgreesWithTheRunbooksSqlOnRandomDatabases() throws SQLException {
        List<String> shapes = new ArrayList<>();
        for (int seed = 1; seed <= CASES; seed++) {
            Random random = new Random(seed);
            fixture.reset();
            String shape = seedRandomDatabase(random);
            shapes.add(shape);

            Snapshot s = read();
            String where = "seed " + seed + " (" + shape + ")";
            assertThat(s.ghosts().total()).as(where + ": ghosts").isEqualTo(db.queryLong(RUNBOOK_GHOST_COUNT));
            assertThat(s.ghosts().old()).as(where + ": old ghosts").isEqualTo(db.queryLong(OLD_GHOSTS));
            assertThat(s.ghosts().recent()).as(where + ": recent ghosts").isEqualTo(db.queryLong(RECENT_GHOSTS));
            assertThat(s.ghosts().withoutCreatedAt()).as(where + ": ghosts without created_at")
                    .isEqualTo(db.queryLong(NULL_CREATED_GHOSTS));
            assertThat(s.ghosts().sample()).as(where + ": sample")
                    .hasSize((int) Math.min(20, s.ghosts().total()))
                    .allSatisfy(row -> assertThat(db.queryLong("SELECT count(*) FROM (" + STEP1
                            + ") s WHERE s.id::text = ?", row.id())).isEqualTo(1));
            assertThat(s.orphans().unhandled()).as(where + ": orphans").isEqualTo(db.queryLong(ORPHANS));
            assertThat(s.orphans().softDeleted()).as(where + ": soft-deleted orphans")
                    .isEqualTo(db.queryLong(SOFT_DELETED_ORPHANS));
            assertThat(s.parityDelta()).as(where + ": parity").isEqualTo(db.queryLong(PARITY));
            assertThat(s.identities()).as(where + ": identities")
                    .isEqualTo(db.queryLong("SELECT count(*) FROM auth.users"));
            assertThat(s.trigger().present()).as(where + ": trigger present")
                    .isEqualTo(db.queryLong(TRIGGER_ON_TABLE) == 1);
            assertThat(s.trigger().fires()).as(where + ": trigger fires for a real signup")
                    .isEqualTo(fixture.signupGetsProfile());
        }
        // The random shapes must actually cover the interesting states, or the comparison proves little.
        assertThat(String.join(" ", shapes)).contains("trigger=O", "trigger=A", "trigger=D", "trigger=R",
                "trigger=dropped", "trigger=elsewhere", "trigger=replica-db", "trigger=replica-role");
    }

    /** Why the corrections exist: the runbook's own Step 2 and Step 1 SQL misread these situations. */
    @Test
    void theRunbooksOwnSqlIsFooledWhereGhostwatchIsNot() throws SQLException {
        String step2 = "SELECT tgenabled::text FROM pg_trigger WHERE tgname = 'on_auth_user_created'";

        fixture.reset();
        fixture.dropTrigger();
        fixture.sameNameTriggerOnOtherTable();
        assertThat(db.queryString(step2)).as("runbook Step 2 finds the audit_log trigger").isEqualTo("O");
        assertThat(fixture.signupGetsProfile()).isFalse();
        assertThat(read().trigger().present()).isFalse();

        fixture.reset();
        fixture.replicaForDatabase();
        assertThat(db.queryString(step2)).as("runbook Step 2 says enabled").isEqualTo("O");
        assertThat(fixture.signupGetsProfile()).isFalse();
        assertThat(read().trigger().fires()).isFalse();

        fixture.reset();
        fixture.ghostsWithoutCreatedAt(1);
        assertThat(db.queryLong("SELECT count(*) FROM (" + STEP1 + ") s WHERE s.days_old >= 1"))
                .as("runbook Step 1 sees no ghost older than a day").isZero();
        assertThat(read().ghosts().old()).isEqualTo(1);
    }

    private static Snapshot read() throws SQLException {
        try (Connection c = db.connect()) {
            return new SnapshotReader(TargetSchema.supabaseDefaults()).read(c, REQUEST);
        }
    }

    /** Ages avoid the last five minutes around each threshold: two transactions' now() differ by milliseconds. */
    private static Duration age(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> Duration.ofMinutes(1 + random.nextInt(54));                 // recent
            case 1 -> Duration.ofMinutes(65 + random.nextInt(22 * 60));            // between 1h and 24h
            case 2 -> Duration.ofMinutes(24 * 60 + 5 + random.nextInt(60 * 24 * 5)); // old
            default -> Duration.ofHours(24).minusMinutes(5 + random.nextInt(10));   // just under a day
        };
    }

    private static String seedRandomDatabase(Random random) {
        int users = random.nextInt(200);
        for (int i = 0; i < 3; i++) {
            fixture.users(users / 3, age(random));
        }
        int ghostBatches = random.nextInt(4);
        for (int i = 0; i < ghostBatches; i++) {
            fixture.ghosts(1 + random.nextInt(4), age(random));
        }
        if (random.nextInt(4) == 0) {
            fixture.ghostsWithoutCreatedAt(1 + random.nextInt(2));
        }
        if (random.nextInt(5) == 0) {
            fixture.anonymousGhosts(1 + random.nextInt(2));
        }
        int orphans = random.nextInt(3) == 0 ? 0 : random.nextInt(8);
        int handled = random.nextInt(2) == 0 ? 0 : random.nextInt(5);
        fixture.orphans(orphans, false);
        fixture.orphans(handled, true);
        String trigger = switch (random.nextInt(8)) {
            case 0 -> "A";
            case 1 -> "D";
            case 2 -> "R";
            case 3 -> "dropped";
            case 4 -> "elsewhere";
            case 5 -> "replica-db";
            case 6 -> "replica-role";
            default -> "O";
        };
        switch (trigger) {
            case "A" -> fixture.triggerState("ENABLE ALWAYS");
            case "D" -> fixture.triggerState("DISABLE");
            case "R" -> fixture.triggerState("ENABLE REPLICA");
            case "dropped" -> fixture.dropTrigger();
            case "elsewhere" -> {
                fixture.dropTrigger();
                fixture.sameNameTriggerOnOtherTable();
            }
            case "replica-db" -> fixture.replicaForDatabase();
            case "replica-role" -> fixture.replicaForSignupRole();
            default -> { }
        }
        return "users=" + users + " ghostBatches=" + ghostBatches + " orphans=" + orphans + "+" + handled
                + " trigger=" + trigger;
    }
}
