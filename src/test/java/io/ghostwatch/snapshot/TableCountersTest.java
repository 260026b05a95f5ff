package io.ghostwatch.snapshot;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** How a steady check moves the row counts, and what tells it a table lost rows no counter saw. No database. */
class TableCountersTest {

    private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");

    private static TableCounters at(long identityInserts, long identityDeletes, long identityLive,
                                    long identityMaintenance, long identityFilenode) {
        return new TableCounters(identityInserts, 0, identityDeletes, 50, 0, 0, START, Optional.empty(), identityLive,
                48, identityMaintenance, 3, identityFilenode, 16400);
    }

    @Test
    void aRolledBackInsertCountsForNothingWhileTheLiveRowsAreExact() {
        TableCounters then = at(100, 2, 98, 5, 16399);
        // The canary's signup: one insert rolled back; one real signup committed.
        TableCounters now = at(102, 2, 99, 5, 16399);

        assertThat(now.identitiesSince(then, 98)).isEqualTo(99);
    }

    @Test
    void afterAVacuumOrAnalyzeTheInsertsLessDeletesAreUsed() {
        TableCounters then = at(100, 2, 98, 5, 16399);
        TableCounters now = at(102, 2, 97, 6, 16399); // an autoanalyze re-estimated n_live_tup

        assertThat(now.identitiesSince(then, 98)).isEqualTo(100);
        // A baseline from before the live rows were kept: the same.
        TableCounters old = new TableCounters(100, 0, 2, 50, 0, 0, START, Optional.empty());
        assertThat(now.identitiesSince(old, 98)).isEqualTo(100);
    }

    @Test
    void aNewRelfilenodeMeansATruncateOrARewrite() {
        TableCounters then = at(100, 2, 98, 5, 16399);

        assertThat(at(100, 2, 0, 5, 16500).rewrittenSince(then)).isTrue();
        assertThat(at(100, 2, 98, 5, 16399).rewrittenSince(then)).isFalse();
        assertThat(at(100, 2, 98, 5, 16500).rewrittenSince(new TableCounters(100, 0, 2, 50, 0, 0, START,
                Optional.empty()))).as("unknown before").isFalse();
    }
}
