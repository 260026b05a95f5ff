package io.ghostwatch.remediate;

import io.ghostwatch.testing.Eventually;
import io.ghostwatch.testing.Ghostwatch;
import io.ghostwatch.testing.Ghostwatch.Result;
import io.ghostwatch.testing.PrivateCluster;
import io.ghostwatch.testing.SupabaseFixture;
import io.ghostwatch.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The backfill against a primary with a real streaming standby of the test's own (initdb, then
 * pg_basebackup -R, on free loopback ports): a standby that stops replaying holds the backfill, and one the role
 * may not watch is named instead of ignored. Paced by the clock (about two minutes whatever the launcher), so it
 * runs in the native suite, the one CI must pass for the CronJob's executable, and on the JVM with
 * {@code -Dghostwatch.slow=true}, as the soak does.
 */
class ReplicaLagIT {

    private static final String GHOSTS = "SELECT count(*) FROM auth.users a WHERE NOT EXISTS"
            + " (SELECT 1 FROM public.users p WHERE p.id = a.id)";

    private static PrivateCluster primary;
    private static PrivateCluster standby;
    private static TestDatabase db;
    private static SupabaseFixture fixture;

    @BeforeAll
    static void cluster() {
        assumeTrue(Ghostwatch.isNative() || Boolean.getBoolean("ghostwatch.slow"),
                "paced by the clock: runs in the native suite, or with -Dghostwatch.slow=true");
        primary = PrivateCluster.start();
        db = TestDatabase.createOn(primary.adminUrl(), "postgres", "", "lag");
        fixture = SupabaseFixture.install(db);
        standby = primary.standby("gw_standby");
    }

    @AfterAll
    static void stop() {
        if (standby != null) {
            standby.close();
        }
        if (primary != null) {
            primary.close(); // its databases and roles go with it
        }
    }

    @BeforeEach
    void fresh() {
        fixture.reset();
        db.execute("DROP SCHEMA IF EXISTS ghostwatch CASCADE");
        fixture.users(20, Duration.ofDays(2));
    }

    private static long onStandby(String sql) {
        try (Connection c = DriverManager.getConnection(standby.url(db.name()), "postgres", "");
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One statement as the superuser on the cluster's maintenance database. */
    private static void admin(PrivateCluster cluster, String sql) {
        try (Connection c = DriverManager.getConnection(cluster.adminUrl(), "postgres", "");
             Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code ALTER SYSTEM} on the primary for each of {@code changes}, then a reload. */
    private static void reconfigurePrimary(String... changes) {
        for (String change : changes) {
            admin(primary, "ALTER SYSTEM " + change);
        }
        admin(primary, "SELECT pg_reload_conf()");
    }

    /** A backfill (standbys not watched) held by {@code pause} once its commit probe measured the baseline. */
    private static Ghostwatch.Running startPaused(String reason, Path pause) {
        Ghostwatch.Running run = ghostwatch().start("fix", "backfill", "--apply", "--reason", reason,
                "--max-rows", "30000", "--max-lag", "0", "--pause-file", pause.toString());
        try {
            Eventually.await("the probe measured its baseline and the job is paused", Duration.ofSeconds(60),
                    run::output, out -> out.contains("waiting: paused: "));
        } catch (RuntimeException | AssertionError e) {
            run.close(); // never paused: no process left behind
            throw e;
        }
        return run;
    }

    private static Ghostwatch ghostwatch() {
        // The pacing is the subject here, not how a row is written: the mapping's cheaper rows keep the class short.
        return Ghostwatch.against(db).env("GHOSTWATCH_TARGET", "lag")
                .env("GHOSTWATCH_REMEDIATE_BACKFILL_MODE", "mapping");
    }

    @Test
    void aStandbyThatStopsReplayingHoldsTheBackfillUntilItCatchesUp() throws Exception {
        fixture.restoredGhosts(20_000, Duration.ofHours(3));
        Eventually.await("the standby has the ghosts", Duration.ofSeconds(60), () -> onStandby(GHOSTS),
                n -> n == 20_000);
        admin(standby, "SELECT pg_wal_replay_pause()");
        try (Ghostwatch.Running run = ghostwatch().start("fix", "backfill", "--apply", "--reason", "lag",
                "--max-rows", "30000", "--max-lag", "1s", "--max-rate", "5000", "--max-load", "0")) {
            String waiting = Eventually.await("the backfill waits for the standby", Duration.ofSeconds(60),
                    run::output, out -> out.contains("waiting: replica lag: standby 'gw_standby' replays"));
            long held = db.queryLong(GHOSTS);
            // Held before the end. --max-load 0: the standby alone holds it (no commit probe on a noisy host).
            assertThat(held).as(waiting).isBetween(1L, 20_000L);
            Thread.sleep(1500); // a held job writes nothing while the standby stays paused
            assertThat(db.queryLong(GHOSTS)).isEqualTo(held);
            assertThat(run.isAlive()).isTrue();
            assertThat(onStandby(GHOSTS)).isEqualTo(20_000); // the standby replayed none of it

            admin(standby, "SELECT pg_wal_replay_resume()");

            assertThat(run.waitFor(Duration.ofSeconds(120))).as(run.output()).isZero();
            assertThat(run.output()).contains("over --max-lag 1s").contains("backfill: 20,000 of ~20,000 rows");
        }
        assertThat(db.queryLong(GHOSTS)).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM ghostwatch.remediated_ids")).isEqualTo(20_000);
        assertThat(db.queryLong("SELECT count(*) - count(DISTINCT id) FROM public.users")).isZero();
        Eventually.await("the standby replays the repair", Duration.ofSeconds(60), () -> onStandby(GHOSTS),
                n -> n == 0);
    }

    /**
     * Commits that stop returning (here a synchronous standby that is not there, as after a failover whose
     * {@code synchronous_standby_names} names the old standby) would make every signup hang: the commit probe
     * sees its commit stuck and the backfill writes nothing until commits return.
     */
    @Test
    void commitsThatHangHoldTheBackfill(@TempDir Path dir) throws Exception {
        fixture.restoredGhosts(20_000, Duration.ofHours(3));
        Path pause = Files.createFile(dir.resolve("hold"));
        try (Ghostwatch.Running run = startPaused("hang", pause)) {
            assertThat(run.output()).contains("waiting: measuring the commit time before the fix begins");
            try {
                reconfigurePrimary("SET synchronous_standby_names = 'gone_standby'");
                // The incident is real: a signup's commit now waits (cancelled after 1 s: it stays committed
                // locally, as a client that gives up on a hung commit would find).
                assertThat(signupWaits()).as("a signup's commit waits for the missing standby").isTrue();
                Thread.sleep(1000);
                Files.delete(pause);

                String waiting = Eventually.await("the backfill waits for commits to return", Duration.ofSeconds(30),
                        run::output, out -> out.contains("waiting: signups would wait: a commit has waited"));
                Thread.sleep(1500);
                assertThat(db.queryLong(GHOSTS)).as(waiting).isEqualTo(20_000); // nothing written while held
                assertThat(run.isAlive()).isTrue();
            } finally {
                reconfigurePrimary("RESET synchronous_standby_names");
            }
            // The probe stays on (it is what holds the fix here): on a busy 2-core host it may pace the rest to a few
            // hundred rows/s, so the limit leaves room for that.
            assertThat(run.waitFor(Duration.ofSeconds(300))).as(run.output()).isZero();
            assertThat(run.output()).contains("backfill: 20,000 of ~20,000 rows");
        }
        assertThat(db.queryLong(GHOSTS)).isZero();
        assertThat(db.queryLong("SELECT count(*) - count(DISTINCT id) FROM public.users")).isZero();
    }

    /**
     * The application's commits get slower after the fix measured them (a busier hour; here every flush waits
     * 20 ms: {@code commit_delay}) and stay so while the fix writes nothing. Holding until the quiet hour returns
     * would leave the ghosts unserved for good: the fix holds for a bounded time, measures the commit time again,
     * and completes against the busier baseline.
     */
    @Test
    void commitsSlowedByTheApplicationAloneHoldTheBackfillOnlyUntilMeasuredAgain(@TempDir Path dir)
            throws Exception {
        fixture.restoredGhosts(20_000, Duration.ofHours(3));
        Path pause = Files.createFile(dir.resolve("hold"));
        try (Ghostwatch.Running run = startPaused("busier", pause)) {
            try {
                // The cluster runs with fsync off, under which commit_delay does nothing.
                reconfigurePrimary("SET fsync = on", "SET commit_siblings = 0", "SET commit_delay = 20000");
                // The slowdown is real and not the fix's (it is paused): once the reload reaches new backends, a
                // signup's commit sleeps 20 ms before its flush (a lower bound the server guarantees, not a speed
                // measurement).
                Eventually.await("a signup's commit waits for commit_delay", Duration.ofSeconds(10),
                        ReplicaLagIT::signupCommitNanos, nanos -> nanos >= 20_000_000L);
                Thread.sleep(1000); // the probe's commits slowed as well (dozens of them) before the fix may go
                Files.delete(pause);

                String waiting = Eventually.await("the backfill holds for the slow commits", Duration.ofSeconds(30),
                        run::output, out -> out.contains("waiting: signups would wait: "));
                assertThat(db.queryLong(GHOSTS)).as(waiting).isEqualTo(20_000); // held before any batch
                // Held a minute (CommitProbe.REMEASURE_AFTER_NANOS), then measured again and completed.

                assertThat(run.waitFor(Duration.ofSeconds(180))).as(run.output()).isZero();
            } finally {
                reconfigurePrimary("RESET commit_delay", "RESET commit_siblings", "RESET fsync");
            }
            assertThat(run.output()).contains("with the fix idle, so not because of it: measuring their time again")
                    .contains("backfill: 20,000 of ~20,000 rows");
        }
        assertThat(db.queryLong(GHOSTS)).isZero();
        assertThat(db.queryLong("SELECT count(*) - count(DISTINCT id) FROM public.users")).isZero();
    }

    /** How long one signup's insert and commit took, on a connection of its own (autocommit). */
    private static long signupCommitNanos() {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            long t = System.nanoTime();
            st.executeUpdate("INSERT INTO auth.users (id, email, created_at)"
                    + " VALUES (gen_random_uuid(), 'busier@example.com', now())");
            return System.nanoTime() - t;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a signup's commit waits for synchronous replication (cancelled after a second, the server says). */
    private static boolean signupWaits() throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.setQueryTimeout(1);
            st.executeUpdate("INSERT INTO auth.users (id, email, created_at)"
                    + " VALUES (gen_random_uuid(), 'hang@example.com', now())");
            // Cancelled in the wait, the server keeps the local commit and warns instead of failing.
            for (java.sql.SQLWarning w = st.getWarnings(); w != null; w = w.getNextWarning()) {
                if (w.getMessage().contains("synchronous replication")) {
                    return true;
                }
            }
            return false;
        }
    }

    @Test
    void aStandbyTheRoleMayNotWatchIsNamedAndNothingIsWritten() {
        fixture.restoredGhosts(50, Duration.ofHours(3));
        // The audit schema exists (made by an admin's check); the fixing role may write there and fix, not monitor.
        assertThat(ghostwatch().run("check").exitCode()).isZero();
        db.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gw_unwatched')"
                        + " THEN CREATE ROLE gw_unwatched LOGIN; END IF; END $$",
                "REVOKE pg_monitor FROM gw_unwatched",
                "GRANT USAGE ON SCHEMA auth, public, ghostwatch TO gw_unwatched",
                "GRANT SELECT ON auth.users TO gw_unwatched",
                "GRANT SELECT, INSERT ON public.users TO gw_unwatched",
                "GRANT ALL ON ALL TABLES IN SCHEMA ghostwatch TO gw_unwatched");
        Ghostwatch asFixer = ghostwatch().env("QUARKUS_DATASOURCE_USERNAME", "gw_unwatched");

        Result refused = asFixer.run("fix", "backfill", "--apply", "--reason", "unwatched");

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.stderr()).contains("cannot see the replay position of standby 'gw_standby'")
                .contains("GRANT pg_monitor").contains("nothing changed");
        assertThat(db.queryLong(GHOSTS)).isEqualTo(50);

        db.execute("GRANT pg_monitor TO gw_unwatched");
        Result granted = asFixer.run("fix", "backfill", "--apply", "--reason", "watched");

        assertThat(granted.exitCode()).as(granted.toString()).isZero();
        assertThat(db.queryLong(GHOSTS)).isZero();
    }
}
