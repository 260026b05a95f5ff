package io.ghostwatch.throttle;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** The commit tail's baseline, threshold and budget, sample by sample. */
class CommitTailTest {

    private static final long MS = 1_000_000L;

    /** Every second, 98 commits of 1 ms and two of 3 ms: each second's p99 (the 99th of 100 sorted) is 3 ms. */
    private static CommitTail calibrated() {
        CommitTail tail = new CommitTail(1.5);
        for (int i = 0; i < CommitTail.BASELINE_SAMPLES; i++) {
            assertThat(tail.overBudget()).isFalse();
            tail.observed(i % 100 == 7 || i % 100 == 57 ? 3 * MS : MS);
        }
        return tail;
    }

    @Test
    void theThresholdIsTheFactorTimesTheQuietP99() {
        CommitTail tail = calibrated();

        assertThat(tail.calibrated()).isTrue();
        assertThat(tail.threshold()).isEqualTo(4_500_000L);
        assertThat(tail.slowShare()).isZero();
    }

    @Test
    void oneNoisySecondInTheBaselineDoesNotRaiseIt() {
        long[] samples = new long[CommitTail.BASELINE_SAMPLES];
        Arrays.fill(samples, MS);
        for (int i = 0; i < samples.length; i += 50) {
            samples[i] = 3 * MS; // two of 3 ms in every second
        }
        Arrays.fill(samples, 100, 200, 40 * MS); // the second second: a checkpoint, another tenant
        samples[350] = 90 * MS;
        samples[351] = 90 * MS; // and two stalls in the fourth

        assertThat(CommitTail.medianSecondP99(samples)).isEqualTo(3 * MS);

        samples[0] = samples[1] = samples[2] = 90 * MS; // three noisy seconds of five: the median is a noisy one
        Arrays.fill(samples, 100, 200, 40 * MS);
        assertThat(CommitTail.medianSecondP99(samples)).isEqualTo(40 * MS);
    }

    @Test
    void aFewSlowCommitsInAThousandAreWithinBudgetMoreAreNot() {
        CommitTail tail = calibrated();
        for (int i = 0; i < 1000; i++) {
            tail.observed(i % 250 == 0 ? 5 * MS : MS); // 4 in 1,000: under the 0.5% budget
        }
        assertThat(tail.overBudget()).as("share %s", tail.slowShare()).isFalse();

        for (int i = 0; i < 10; i++) {
            tail.observed(5 * MS); // a batch's worth of slow commits
        }
        assertThat(tail.overBudget()).as("share %s", tail.slowShare()).isTrue();

        int quiet = 0;
        while (tail.overBudget()) {
            tail.observed(MS);
            quiet++;
        }
        // Forgotten with time: ~1,000 samples' memory, so a burst of ten costs some hundreds of quiet commits.
        assertThat(quiet).isBetween(100, 3000);
    }

    @Test
    void aCommitJustUnderTheThresholdIsNotSlow() {
        CommitTail tail = calibrated();
        for (int i = 0; i < 100; i++) {
            tail.observed(4_500_000L);
        }
        assertThat(tail.slowShare()).isZero();
        tail.observed(4_500_001L);
        assertThat(tail.slowShare()).isPositive();
    }

    @Test
    void measuringAgainForgetsTheShareAndTakesTheNewP99() {
        CommitTail tail = calibrated();
        for (int i = 0; i < 50; i++) {
            tail.observed(6 * MS); // the application got slower
        }
        assertThat(tail.overBudget()).isTrue();

        tail.remeasure();

        assertThat(tail.calibrated()).isFalse();
        assertThat(tail.overBudget()).as("no verdict while measuring").isFalse();
        for (int i = 0; i < CommitTail.BASELINE_SAMPLES; i++) {
            tail.observed(6 * MS);
        }
        assertThat(tail.calibrated()).isTrue();
        assertThat(tail.threshold()).isEqualTo(9_000_000L);
        assertThat(tail.slowShare()).isZero();
    }
}
