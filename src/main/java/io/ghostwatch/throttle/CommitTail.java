package io.ghostwatch.throttle;

import java.util.Arrays;

/**
 * The tail of the database's commit time, as a signup would see it, against what it is with the fix idle.
 * The first {@link #BASELINE_SAMPLES} commits fix the quiet p99; a later commit is <em>slow</em> when it takes
 * more than {@code factor} times that. The fix holds while more than {@link #SLOW_BUDGET} of the recent commits
 * were slow: that keeps the commits' p99 under {@code factor} times the quiet one, which is what a p99 goal asks,
 * and on a database with room to spare it lets the fix run flat out. {@link #remeasure} starts a new baseline
 * when commits stay slow with the fix idle: the application's own load changed, and the old one no longer says
 * what the fix adds.
 */
final class CommitTail {

    /** Commits in a baseline (before the first batch, or with the fix idle): two seconds at the probe's pace. */
    static final int BASELINE_SAMPLES = 200;
    /** The share of slow commits the fix may cause: half of the 1% a p99 allows, the rest for the quiet tail. */
    static final double SLOW_BUDGET = 0.005;
    /** How fast old commits are forgotten: about the last thousand count (ten seconds at the probe's pace). */
    static final double DECAY = 1.0 / 1000;

    private final double factor;
    private final long[] baseline = new long[BASELINE_SAMPLES];
    private int seen;
    private long threshold;
    private double slowShare;

    CommitTail(double factor) {
        this.factor = factor;
    }

    synchronized void observed(long nanos) {
        if (seen < BASELINE_SAMPLES) {
            baseline[seen++] = nanos;
            if (seen == BASELINE_SAMPLES) {
                long[] sorted = baseline.clone();
                Arrays.sort(sorted);
                long p99 = sorted[(int) Math.ceil(0.99 * BASELINE_SAMPLES) - 1];
                threshold = Math.max(1, (long) (p99 * factor));
            }
            return;
        }
        slowShare = slowShare * (1 - DECAY) + (nanos > threshold ? DECAY : 0);
    }

    /** Forgets the baseline and the slow share: the next {@link #BASELINE_SAMPLES} commits set the threshold. */
    synchronized void remeasure() {
        seen = 0;
        slowShare = 0;
    }

    double factor() {
        return factor;
    }

    synchronized boolean calibrated() {
        return seen >= BASELINE_SAMPLES;
    }

    /** Nanoseconds above which a commit counts as slow; 0 until first calibrated, the last one while remeasuring. */
    synchronized long threshold() {
        return threshold;
    }

    synchronized double slowShare() {
        return slowShare;
    }

    synchronized boolean overBudget() {
        return calibrated() && slowShare > SLOW_BUDGET;
    }
}
