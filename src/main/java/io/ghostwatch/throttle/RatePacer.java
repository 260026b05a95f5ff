package io.ghostwatch.throttle;

/**
 * The {@code --max-rate} cap: before each batch, the wait that keeps the rows done so far at or under the rate
 * over the time since the first batch started. Averaged over the whole run, so a fast batch is paid back by a
 * wait and the cap holds to within one batch.
 */
final class RatePacer {

    private final double rowsPerSecond;

    RatePacer(double rowsPerSecond) {
        this.rowsPerSecond = rowsPerSecond;
    }

    /** Nanoseconds to wait before the next batch, given the rows done and the nanoseconds since the start. */
    long waitNanos(long rowsDone, long elapsedNanos) {
        long due = (long) (rowsDone / rowsPerSecond * 1e9);
        return Math.max(0, due - elapsedNanos);
    }

    /** The most rows one batch may take: a tenth of a second's worth, so no batch is a burst. */
    int batchCap() {
        return (int) Math.max(1, Math.round(rowsPerSecond / 10));
    }
}
