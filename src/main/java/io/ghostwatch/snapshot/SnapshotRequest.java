package io.ghostwatch.snapshot;

import java.time.Duration;
import java.util.Optional;

/**
 * What a snapshot measures against and how long it may take.
 *
 * @param oldAfter     ghosts created before now minus this are counted as old
 * @param recentWindow ghosts created after now minus this are counted as recent
 * @param sampleSize   how many ghost ids to return
 * @param history          ghostwatch's history tables, when history is kept: without them every run scans in full
 * @param fullScanInterval the longest a steady state may carry a full scan's numbers
 * @param maxUnmatched     the most unmatched rows whose ids a full scan keeps for the steady state
 */
public record SnapshotRequest(Duration oldAfter, Duration recentWindow, int sampleSize,
                              Duration statementTimeout, Duration lockTimeout, Optional<HistoryTables> history,
                              Duration fullScanInterval, int maxUnmatched) {

    /** ghostwatch.steady-state-max-unmatched's default. */
    public static final int DEFAULT_MAX_UNMATCHED = 20_000;

    public SnapshotRequest(Duration oldAfter, Duration recentWindow, int sampleSize, Duration statementTimeout,
                           Duration lockTimeout, Optional<HistoryTables> history, Duration fullScanInterval) {
        this(oldAfter, recentWindow, sampleSize, statementTimeout, lockTimeout, history, fullScanInterval,
                DEFAULT_MAX_UNMATCHED);
    }

    public SnapshotRequest(Duration oldAfter, Duration recentWindow, int sampleSize, Duration statementTimeout,
                           Duration lockTimeout) {
        this(oldAfter, recentWindow, sampleSize, statementTimeout, lockTimeout, Optional.empty(), Duration.ZERO);
    }
}
