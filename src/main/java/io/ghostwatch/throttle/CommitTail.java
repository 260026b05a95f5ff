package io.ghostwatch.throttle;

import java.util.Arrays;

/**
 * The tail of the database's commit time, as a signup would see it, against what it is with the fix idle.
 * The first {@link #BASELINE_SAMPLES} commits fix the quiet p99 (each second's, then their median); a later commit
 * is <em>slow</em> when it takes more than {@code factor} times that. The fix holds while more than
 * {@link #SLOW_BUDGET} of the recent commits were slow: that keeps the commits' p99 under {@code factor} times the quiet one, which is what a p99 goal asks,
 * and on a database with room to spare it lets the fix run flat out. {@link #remeasure} starts a new baseline
 * when commits stay slow with the fix idle: the application's own load changed, and the old one no longer says
 * what the fix adds.
 */
final class CommitTail {

    /** Commits in a baseline (before the first batch, or with the fix idle): five seconds at the probe's pace. */
    static final int BASELINE_SAMPLES = 500;
    /**
     * The baseline's p99 is the median of the p99s of its seconds (100 commits each): one noisy second cannot make
     * the fix bold. A plain p99 of 200 commits, replayed over a 150-s trace of this machine's probe commits, came
     * out over 1.5x the trace's own p99 in 15% of its windows (33x at worst: a throttle switched off); the median
     * of five seconds in 7% (3.4x at worst).
     */
    static final int WINDOW = 100;
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
                threshold = Math.max(1, (long) (medianSecondP99(baseline) * factor));
            }
            return;
        }
        slowShare = slowShare * (1 - DECAY) + (nanos > threshold ? DECAY : 0);
    }

    /** The median, over the baseline's windows of {@link #WINDOW} commits, of each window's p99. */
    static long medianSecondP99(long[] samples) {
        int windows = samples.length / WINDOW;
        long[] p99s = new long[windows];
        for (int w = 0; w < windows; w++) {
            long[] window = Arrays.copyOfRange(samples, w * WINDOW, (w + 1) * WINDOW);
            Arrays.sort(window);
            p99s[w] = window[(int) Math.ceil(0.99 * WINDOW) - 1];
        }
        Arrays.sort(p99s);
        return p99s[windows / 2];
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
