package io.ghostwatch.signups;

import com.fasterxml.jackson.databind.JsonNode;
import io.ghostwatch.testing.AuthServerDatabaseTest;
import io.ghostwatch.testing.Eventually;
import io.ghostwatch.testing.Ghostwatch;
import io.ghostwatch.testing.SupabaseFixture.Signup;
import io.ghostwatch.testing.SupabaseFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A migration left idle in its transaction, holding a lock that every signup's INSERT waits for: the signups
 * are real (they wait, on a connection that logs in as the signup role), and {@code check} names the session
 * and the statement that ends it instead of giving up after its lock timeout.
 */
class SignupsBlockedIT extends AuthServerDatabaseTest {

    private Connection migration;

    @BeforeEach
    void setUp() {
        fixture.users(5, Duration.ofDays(2));
    }

    /** Before the database is dropped (the base class's AfterEach runs after this one). */
    @AfterEach
    void endMigration() throws SQLException {
        if (migration != null) {
            migration.close();
        }
    }

    /** A migration session that ran {@code statement} in a transaction and was left idle in it. */
    private int migrationLeftOpen(String statement) throws SQLException {
        migration = db.connect();
        try (Statement st = migration.createStatement()) {
            st.execute("SET application_name = 'schema-migration'");
            var rs = st.executeQuery("SELECT pg_backend_pid()");
            rs.next();
            int pid = rs.getInt(1);
            migration.setAutoCommit(false);
            st.execute(statement);
            return pid;
        }
    }

    private int waitingOnProfiles() {
        return (int) db.queryLong("SELECT count(*) FROM pg_locks WHERE relation = 'public.users'::regclass"
                + " AND NOT granted");
    }

    @Test
    void anIndexBuildLeftIdleInItsTransactionBlocksSignupsAndIsNamedWithItsPid() throws Exception {
        int pid = migrationLeftOpen("CREATE INDEX users_email_idx ON public.users (email)");
        CompletableFuture<Signup> waiting = CompletableFuture.supplyAsync(() -> fixture.signup(true));
        Eventually.await("the signup to wait for the migration's lock", Duration.ofSeconds(20),
                this::waitingOnProfiles, n -> n > 0);
        assertThat(waiting).as("the incident is real: the signup waits").isNotDone();

        JsonNode report = Ghostwatch.against(db).env("GHOSTWATCH_HISTORY_ENABLED", "false")
                .run("check", "--output", "json").json();

        assertThat(report.get("priority").asText()).isEqualTo("P0");
        JsonNode finding = report.get("findings").get(0);
        assertThat(finding.get("code").asText()).isEqualTo("signups_blocked");
        assertThat(finding.get("summary").asText()).contains("pid " + pid).contains("schema-migration")
                .contains("idle in transaction").contains("ShareLock on public.users")
                .contains("CREATE INDEX users_email_idx").contains("1 session waits");
        assertThat(finding.get("actions").get(0).asText()).startsWith("SELECT pg_terminate_backend(" + pid + ");");
        JsonNode blocker = report.at("/snapshot/signupBlockers/0");
        assertThat(blocker.get("pid").asInt()).isEqualTo(pid);
        assertThat(blocker.get("waiting").asInt()).isEqualTo(1);
        assertThat(waiting).as("ghostwatch ended nothing: the fix is printed, not run").isNotDone();

        migration.rollback();
        assertThat(waiting.get(20, TimeUnit.SECONDS).synced()).as("the signup goes through once it ends").isTrue();
        JsonNode after = Ghostwatch.against(db).env("GHOSTWATCH_HISTORY_ENABLED", "false")
                .run("check", "--output", "json").json();
        assertThat(after.get("priority").asText()).isEqualTo("OK");
        assertThat(after.at("/snapshot/signupBlockers")).isEmpty();
    }

    @Test
    void aLockHeldBrieflyWithNobodyWaitingIsNotYetP0ButHeldLongerItIs() throws Exception {
        int pid = migrationLeftOpen("CREATE INDEX users_email_idx ON public.users (email)");

        JsonNode patient = Ghostwatch.against(db).env("GHOSTWATCH_HISTORY_ENABLED", "false")
                .env("GHOSTWATCH_POLICY_SIGNUPS_BLOCKED_AFTER", "1h").run("check", "--output", "json").json();
        assertThat(patient.get("priority").asText()).isEqualTo("OK");
        assertThat(patient.at("/snapshot/signupBlockers/0/pid").asInt()).as("still reported").isEqualTo(pid);

        JsonNode strict = Ghostwatch.against(db).env("GHOSTWATCH_HISTORY_ENABLED", "false")
                .env("GHOSTWATCH_POLICY_SIGNUPS_BLOCKED_AFTER", "0s").run("check", "--output", "json").json();
        assertThat(strict.get("priority").asText()).isEqualTo("P0");
        assertThat(strict.get("findings").get(0).get("code").asText()).isEqualTo("signups_blocked");
    }

    @Test
    void aLockThatBlocksReadingTooStillNamesTheSessionInsteadOfOnlyCannotCheck() throws Exception {
        assertThat(Ghostwatch.against(db).run("check").exitCode()).as("a check before, as a CronJob runs").isZero();
        int pid = migrationLeftOpen("ALTER TABLE public.users ADD COLUMN nickname text");
        try (Connection signup = db.connectAs(SupabaseFixture.SIGNUP_ROLE, "");
             Statement st = signup.createStatement()) {
            st.execute("SET lock_timeout = '300ms'");
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> st.execute("INSERT INTO auth.users"
                    + " (id, created_at) VALUES (gen_random_uuid(), now())")))
                    .as("the incident is real: a signup times out on the lock").hasMessageContaining("lock timeout");
        }

        Ghostwatch.Result r = Ghostwatch.against(db).env("GHOSTWATCH_LOCK_TIMEOUT", "1s").run("check");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr()).contains("P0 signups_blocked").contains("pid " + pid)
                .contains("AccessExclusiveLock on public.users").contains("ALTER TABLE public.users ADD COLUMN")
                .contains("SELECT pg_terminate_backend(" + pid + ");")
                .contains("Identity inserts since the last check");
        assertThat(db.queryLong("SELECT count(*) FROM pg_stat_activity WHERE pid = ?", pid))
                .as("the session is still there: ghostwatch ends nothing").isEqualTo(1);
    }

    @Test
    void aMigrationQueuedBehindALongReaderBlocksSignupsAndIsNamedWithTheSessionItWaitsFor() throws Exception {
        // A report left idle in its transaction holds only a share lock: alone it blocks nobody.
        Connection reader = db.connect();
        int readerPid;
        try (Statement st = reader.createStatement()) {
            var rs = st.executeQuery("SELECT pg_backend_pid()");
            rs.next();
            readerPid = rs.getInt(1);
            reader.setAutoCommit(false);
            st.executeQuery("SELECT count(*) FROM public.users").close();
        }
        try {
            // The migration's ALTER TABLE waits for it, and from then on every signup queues behind the ALTER.
            migration = db.connect();
            int migrationPid;
            try (Statement st = migration.createStatement()) {
                st.execute("SET application_name = 'schema-migration'");
                var rs = st.executeQuery("SELECT pg_backend_pid()");
                rs.next();
                migrationPid = rs.getInt(1);
            }
            // Threads of their own: both block, and the common pool may have a single thread on two cores.
            java.util.concurrent.ExecutorService sessions = java.util.concurrent.Executors.newFixedThreadPool(2);
            CompletableFuture<Void> alter = CompletableFuture.runAsync(() -> {
                try (Statement st = migration.createStatement()) {
                    st.execute("ALTER TABLE public.users ADD COLUMN nickname text");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, sessions);
            Eventually.await("the migration to wait for its lock", Duration.ofSeconds(20), this::waitingOnProfiles,
                    n -> n == 1);
            CompletableFuture<Signup> signup = CompletableFuture.supplyAsync(() -> fixture.signup(true), sessions);
            sessions.shutdown();
            Eventually.await("the signup to queue behind the migration", Duration.ofSeconds(20),
                    this::waitingOnProfiles, n -> n == 2);
            assertThat(signup).as("the incident is real: the signup waits").isNotDone();

            Ghostwatch.Result r = Ghostwatch.against(db).env("GHOSTWATCH_HISTORY_ENABLED", "false")
                    .env("GHOSTWATCH_LOCK_TIMEOUT", "1s").run("check");

            assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
            assertThat(r.stderr()).contains("P0 signups_blocked").contains("pid " + migrationPid)
                    .contains("waits for AccessExclusiveLock on public.users behind pid " + readerPid)
                    .contains("every signup queues behind it").contains("ALTER TABLE public.users ADD COLUMN")
                    .contains("SELECT pg_cancel_backend(" + migrationPid + ");")
                    .contains("Unknown until then: ghosts, orphans and row counts");

            Ghostwatch.Result diagnosis = Ghostwatch.against(db).env("GHOSTWATCH_HISTORY_ENABLED", "false")
                    .env("GHOSTWATCH_LOCK_TIMEOUT", "1s").run("diagnose");
            assertThat(diagnosis.exitCode()).as("diagnose cannot read past it either, and names it")
                    .isEqualTo(2);
            assertThat(diagnosis.stderr()).contains("pid " + migrationPid).contains("pg_cancel_backend");
            assertThat(signup).as("ghostwatch ended nothing").isNotDone();

            reader.rollback();
            alter.get(20, TimeUnit.SECONDS);
            assertThat(signup.get(20, TimeUnit.SECONDS).synced()).as("the queue drains once the reader ends")
                    .isTrue();
        } finally {
            reader.close();
        }
    }

    @Test
    void diagnoseNamesALockSignupsWaitFor() throws Exception {
        int pid = migrationLeftOpen("CREATE INDEX users_email_idx ON public.users (email)");
        CompletableFuture<Signup> waiting = CompletableFuture.supplyAsync(() -> fixture.signup(true));
        Eventually.await("the signup to wait for the migration's lock", Duration.ofSeconds(20),
                this::waitingOnProfiles, n -> n > 0);

        Ghostwatch.Result r = Ghostwatch.against(db).env("GHOSTWATCH_HISTORY_ENABLED", "false").run("diagnose");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.stdout()).doesNotContain("No known cause").contains("* signups_blocked")
                .contains("pid " + pid).contains("ShareLock on public.users")
                .contains("fix:      SELECT pg_terminate_backend(" + pid + ");");
        JsonNode json = Ghostwatch.against(db).env("GHOSTWATCH_HISTORY_ENABLED", "false")
                .run("diagnose", "--output", "json").json(1);
        assertThat(json.at("/signupBlockers/0/pid").asInt()).isEqualTo(pid);
        assertThat(json.at("/signupBlockers/0/granted").asBoolean()).isTrue();

        migration.rollback();
        assertThat(waiting.get(20, TimeUnit.SECONDS).synced()).isTrue();
    }
}
