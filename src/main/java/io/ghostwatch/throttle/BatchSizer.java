package io.ghostwatch.throttle;

import java.time.Duration;

/**
 * Sizes batches by time, as pt-archiver's {@code --txn-size} by time would: after each batch, the next one gets
 * the row count that would have taken the target duration at the rate just seen, moving at most by half or
 * double per step so one slow batch (a checkpoint, a burst of signups) cannot swing it, and within bounds.
 */
final class BatchSizer {

    private final long targetNanos;
    private final int min;
    private final int max;
    private int size;

    BatchSizer(Duration target, int first, int min, int max) {
        this.targetNanos = target.toNanos();
        this.min = min;
        this.max = max;
        this.size = clamp(first);
    }

    int size() {
        return size;
    }

    /** A batch of {@code rows} took {@code nanos}: size the next. Fixed size when there is no target. */
    void observed(long rows, long nanos) {
        if (targetNanos <= 0 || rows <= 0) {
            return;
        }
        double ideal = rows * (double) targetNanos / Math.max(1, nanos);
        double bounded = Math.max(size / 2.0, Math.min(size * 2.0, ideal));
        size = clamp((int) Math.round(bounded));
    }

    /** No batch may outrun a rate cap by more than a fraction of a second's worth of rows. */
    void capAt(int rows) {
        size = Math.min(size, Math.max(min, rows));
    }

    private int clamp(int rows) {
        return Math.max(min, Math.min(max, rows));
    }
}
