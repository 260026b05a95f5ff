package io.ghostwatch.throttle;

import java.util.Arrays;
import java.util.Optional;

/**
 * The application's pressure on the database, read without touching its tables: the time a batch needs per row,
 * against the median of the first batches'. When signups or other work compete for the same CPU, WAL and locks,
 * each row of the backfill takes longer; that slowdown is the signal to back off (gh-ost's --max-load, read from
 * the inside).
 */
final class LoadGauge {

    /** Batches measured before the baseline is fixed. */
    static final int BASELINE_BATCHES = 3;
    /** Per-row time this many times the baseline means the database is busy. */
    static final double BUSY = 1.5;

    private final double[] first = new double[BASELINE_BATCHES];
    private int seen;
    private double baseline;

    /**
     * A batch of {@code rows} took {@code nanos}. Returns how much slower than the baseline it was per row, when
     * that is more than {@link #BUSY}.
     */
    Optional<Double> observed(long rows, long nanos) {
        if (rows <= 0) {
            return Optional.empty();
        }
        double perRow = nanos / (double) rows;
        if (seen < BASELINE_BATCHES) {
            first[seen++] = perRow;
            if (seen == BASELINE_BATCHES) {
                double[] sorted = first.clone();
                Arrays.sort(sorted);
                baseline = sorted[BASELINE_BATCHES / 2];
            }
            return Optional.empty();
        }
        double ratio = perRow / baseline;
        return ratio > BUSY ? Optional.of(ratio) : Optional.empty();
    }
}
