package io.ghostwatch.snapshot;

import io.ghostwatch.sql.ConnectionSource;
import io.ghostwatch.testing.SupabaseDatabaseTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A full scan split across connections (key ranges cut at the id histogram, one exported snapshot) must count
 * exactly what one connection counts: every id once, boundaries included, and nothing committed in between.
 */
class ParallelScanTest extends SupabaseDatabaseTest {

    private static final SnapshotRequest REQUEST = new SnapshotRequest(Duration.ofHours(24), Duration.ofHours(1),
            1000, Duration.ofSeconds(30), Duration.ofSeconds(2));

    @BeforeEach
    void incident() {
        fixture.reset();
        fixture.users(3000, Duration.ofDays(3));
        fixture.ghosts(40, Duration.ofHours(2));
        fixture.orphans(12, false);
        fixture.orphans(3, true);
        // Ghosts exactly on the cuts a 4-way split makes: the identities whose ids are histogram bounds lose
        // their profiles, so a slice boundary that dropped or doubled a row would show in the counts.
        // A bound may already be one of the 40 ghosts (ids are random): count the profiles actually removed.
        db.execute("ANALYZE auth.users");
        onCuts = db.queryLong("WITH d AS (DELETE FROM public.users WHERE id IN (SELECT b FROM pg_stats,"
                + " unnest(histogram_bounds::text::uuid[]) WITH ORDINALITY AS h(b, n) WHERE schemaname = 'auth'"
                + " AND tablename = 'users' AND attname = 'id' AND n IN (26, 51, 76)) RETURNING 1)"
                + " SELECT count(*) FROM d");
    }

    private long onCuts;

    private Snapshot serial() throws SQLException {
        try (Connection c = db.connect()) {
            return new SnapshotReader(TargetSchema.supabaseDefaults()).read(c, REQUEST);
        }
    }

    private Snapshot parallel(int parallelism, ConnectionSource more) throws SQLException {
        try (Connection c = db.connect()) {
            return new SnapshotReader(TargetSchema.supabaseDefaults(), Optional.of(more), parallelism)
                    .read(c, REQUEST);
        }
    }

    @Test
    void slicesOnSeveralConnectionsCountWhatOneConnectionCounts() throws SQLException {
        AtomicInteger opened = new AtomicInteger();

        Snapshot one = serial();
        Snapshot four = parallel(4, () -> {
            opened.incrementAndGet();
            return db.connect();
        });

        assertThat(onCuts).isPositive();
        assertThat(one.ghosts().total()).isEqualTo(40 + onCuts); // the incident is there: 40 ghosts and the cuts
        assertThat(one.orphans().unhandled()).isEqualTo(12);
        assertThat(opened).hasValue(3);
        assertThat(four.identities()).isEqualTo(one.identities());
        assertThat(four.profiles()).isEqualTo(one.profiles());
        assertThat(four.ghosts()).isEqualTo(one.ghosts());
        assertThat(four.orphans()).isEqualTo(one.orphans());
    }

    @Test
    void everySliceSeesTheSameInstantEvenWhenSignupsCommitInBetween() throws SQLException {
        Snapshot before = serial();

        // Each further connection opens only after 20 more ghosts committed: a slice reading its own, newer
        // snapshot would count some of them (random ids land in every slice).
        Snapshot during = parallel(4, () -> {
            fixture.ghosts(20, Duration.ZERO);
            return db.connect();
        });
        Snapshot after = serial();

        assertThat(after.ghosts().total()).isEqualTo(before.ghosts().total() + 60); // they are real ghosts
        assertThat(during.ghosts().total()).isEqualTo(before.ghosts().total());
        assertThat(during.identities()).isEqualTo(before.identities());
    }

    @Test
    void aFurtherConnectionThatCannotOpenFailsTheScanAndLeavesTheRunsConnectionUsable() throws SQLException {
        try (Connection c = db.connect()) {
            SnapshotReader reader = new SnapshotReader(TargetSchema.supabaseDefaults(), Optional.of(() -> {
                throw new SQLException("too many connections for role", "53300");
            }), 2);

            assertThatThrownBy(() -> reader.read(c, REQUEST)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("too many connections");
            try (Statement st = c.createStatement()) {
                assertThat(st.executeQuery("SELECT 1").next()).isTrue();
            }
            assertThat(c.getAutoCommit()).isTrue();
        }
    }
}
