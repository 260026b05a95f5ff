package io.ghostwatch.throttle;

import java.util.Arrays;
import java.util.Optional;

/**
 * A measure of the database's pressure against its own start: the median of the first samples is the
 * baseline; a later sample more than {@code busy} times it says the database is busy (gh-ost's --max-load, read
 * from the inside, without touching the application's tables).
 */
final class LoadGauge {

    /** Samples taken before the baseline is fixed. */
    static final int BASELINE_SAMPLES = 3;

    private final double busy;
    private final double[] first = new double[BASELINE_SAMPLES];
    private int seen;
    private double baseline;

    LoadGauge(double busy) {
        this.busy = busy;
    }

    boolean calibrated() {
        return seen >= BASELINE_SAMPLES;
    }

    /** Returns how many times the baseline the sample is, when that is more than the busy factor. */
    Optional<Double> observed(double sample) {
        if (seen < BASELINE_SAMPLES) {
            first[seen++] = sample;
            if (seen == BASELINE_SAMPLES) {
                double[] sorted = first.clone();
                Arrays.sort(sorted);
                baseline = Math.max(sorted[BASELINE_SAMPLES / 2], 1e-9);
            }
            return Optional.empty();
        }
        double ratio = sample / baseline;
        return ratio > busy ? Optional.of(ratio) : Optional.empty();
    }
}
