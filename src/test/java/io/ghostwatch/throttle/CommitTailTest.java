package io.ghostwatch.throttle;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The commit tail's baseline, threshold and budget, sample by sample. */
class CommitTailTest {

    private static final long MS = 1_000_000L;

    /** 197 commits of 1 ms and three of 3 ms: the quiet p99 is 3 ms (the 198th of 200 sorted). */
    private static CommitTail calibrated() {
        CommitTail tail = new CommitTail(1.5);
        for (int i = 0; i < CommitTail.BASELINE_SAMPLES; i++) {
            assertThat(tail.overBudget()).isFalse();
            tail.observed(i % 70 == 7 ? 3 * MS : MS); // 7, 77, 147
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
