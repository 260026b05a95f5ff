package io.ghostwatch.throttle;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The throttle's arithmetic: batch sizing by time, the rate cap, the lag clock and the load gauge. */
class ThrottlePartsTest {

    private static final long MS = 1_000_000L;

    @Test
    void batchesGrowTowardTheTargetTimeAtMostDoublingAndShrinkAtMostHalving() {
        BatchSizer sizer = new BatchSizer(Duration.ofMillis(100), 1000, 100, 20_000);

        sizer.observed(1000, 10 * MS);  // 10x too fast: would be 10,000, grows only to 2,000
        assertThat(sizer.size()).isEqualTo(2000);
        sizer.observed(2000, 50 * MS);  // 2x too fast: 4,000
        assertThat(sizer.size()).isEqualTo(4000);
        sizer.observed(4000, 100 * MS); // on target: stays
        assertThat(sizer.size()).isEqualTo(4000);
        sizer.observed(4000, 2000 * MS); // 20x too slow: only halves
        assertThat(sizer.size()).isEqualTo(2000);
    }

    @Test
    void batchSizesStayWithinTheirBoundsAndAFixedSizerNeverMoves() {
        BatchSizer bounded = new BatchSizer(Duration.ofMillis(100), 150, 100, 300);
        bounded.observed(150, 1000 * MS);
        bounded.observed(100, 1000 * MS);
        assertThat(bounded.size()).isEqualTo(100);
        for (int i = 0; i < 5; i++) {
            bounded.observed(bounded.size(), MS);
        }
        assertThat(bounded.size()).isEqualTo(300);

        BatchSizer fixed = new BatchSizer(Duration.ZERO, 1000, 1000, 1000);
        fixed.observed(1000, MS);
        assertThat(fixed.size()).isEqualTo(1000);
    }

    @Test
    void theRatePacerPaysBackAFastBatchWithAWaitAndCapsBatchesAtATenthOfASecond() {
        RatePacer pacer = new RatePacer(10_000);

        assertThat(pacer.waitNanos(0, 0)).isZero();
        assertThat(pacer.waitNanos(5_000, 100 * MS)).isEqualTo(400 * MS); // 5,000 rows are due at 500 ms
        assertThat(pacer.waitNanos(5_000, 600 * MS)).isZero();           // behind the rate: no wait
        assertThat(pacer.batchCap()).isEqualTo(1000);
    }

    @Test
    void aStandbyBehindANotedPositionLagsAtLeastTheTimeSinceThatNote() {
        LagClock clock = new LagClock();
        clock.note(1000, 0);
        clock.note(2000, 1000 * MS);
        clock.note(3000, 2000 * MS);

        assertThat(clock.lagSeconds(3000, 2500 * MS)).isZero();          // replayed everything noted
        assertThat(clock.lagSeconds(2500, 2500 * MS)).isEqualTo(0.5);   // missing what existed at 2.0 s
        assertThat(clock.lagSeconds(1500, 2500 * MS)).isEqualTo(1.5);   // missing what existed at 1.0 s
        assertThat(clock.lagSeconds(500, 2500 * MS)).isEqualTo(2.5);

        clock.forgetBefore(2000); // every standby is past 2000
        assertThat(clock.lagSeconds(2500, 2500 * MS)).isEqualTo(0.5);
    }

    @Test
    void theLoadGaugeComparesWithTheMedianOfTheFirstSamples() {
        LoadGauge gauge = new LoadGauge(1.5);
        assertThat(gauge.observed(10)).isEmpty();
        assertThat(gauge.observed(50)).isEmpty(); // one slow early sample does not set the baseline
        assertThat(gauge.calibrated()).isFalse();
        assertThat(gauge.observed(12)).isEmpty(); // baseline: 12
        assertThat(gauge.calibrated()).isTrue();

        assertThat(gauge.observed(14)).isEmpty();       // 1.17x: not busy
        assertThat(gauge.observed(24)).contains(2.0);    // 2x
    }
}
