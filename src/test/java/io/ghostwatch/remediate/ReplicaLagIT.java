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

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backfill against a primary with a real streaming standby of the test's own (initdb, then
 * pg_basebackup -R, on free loopback ports): a standby that stops replaying holds the backfill, and one the role
 * may not watch is named instead of ignored.
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

    private static void standbyAdmin(String sql) {
        try (Connection c = DriverManager.getConnection(standby.adminUrl(), "postgres", "");
             Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Ghostwatch ghostwatch() {
        return Ghostwatch.against(db).env("GHOSTWATCH_TARGET", "lag");
    }

    @Test
    void aStandbyThatStopsReplayingHoldsTheBackfillUntilItCatchesUp() throws Exception {
        fixture.restoredGhosts(20_000, Duration.ofHours(3));
        Eventually.await("the standby has the ghosts", Duration.ofSeconds(60), () -> onStandby(GHOSTS),
                n -> n == 20_000);
        standbyAdmin("SELECT pg_wal_replay_pause()");
        try (Ghostwatch.Running run = ghostwatch().start("fix", "backfill", "--apply", "--reason", "lag",
                "--max-rows", "30000", "--max-lag", "1s", "--max-rate", "5000")) {
            String waiting = Eventually.await("the backfill waits for the standby", Duration.ofSeconds(60),
                    run::output, out -> out.contains("waiting: standby 'gw_standby' replay lag"));
            long held = db.queryLong(GHOSTS);
            assertThat(held).as(waiting).isBetween(1L, 19_999L);
            Thread.sleep(1500); // a held job writes nothing while the standby stays paused
            assertThat(db.queryLong(GHOSTS)).isEqualTo(held);
            assertThat(run.isAlive()).isTrue();
            assertThat(onStandby(GHOSTS)).isEqualTo(20_000); // the standby replayed none of it

            standbyAdmin("SELECT pg_wal_replay_resume()");

            assertThat(run.waitFor(Duration.ofSeconds(120))).as(run.output()).isZero();
            assertThat(run.output()).containsPattern("> --max-lag 1s").contains("backfill: 20,000 of ~20,000 rows");
        }
        assertThat(db.queryLong(GHOSTS)).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM ghostwatch.remediated_ids")).isEqualTo(20_000);
        assertThat(db.queryLong("SELECT count(*) - count(DISTINCT id) FROM public.users")).isZero();
        Eventually.await("the standby replays the repair", Duration.ofSeconds(60), () -> onStandby(GHOSTS),
                n -> n == 0);
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
