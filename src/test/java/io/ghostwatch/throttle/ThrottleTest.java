package io.ghostwatch.throttle;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** The throttle's decisions with a hand-stepped clock (no database: standbys are not watched here). */
class ThrottleTest {

    /** Time moves only when the throttle sleeps; a hook runs at every sleep. */
    private static final class StepClock implements Throttle.Ticker {
        long now;
        long slept;
        Runnable onSleep = () -> { };

        @Override
        public long nanos() {
            return now;
        }

        @Override
        public void sleep(long nanos) {
            now += nanos;
            slept += nanos;
            onSleep.run();
        }
    }

    private static ThrottleSettings settings(OptionalDouble rate, Optional<Path> pauseFile) {
        return new ThrottleSettings(Duration.ofMillis(100), 1000, 100, 20_000, rate, Duration.ZERO, pauseFile, 0);
    }

    @Test
    void thePauseFileHoldsTheJobUntilItIsRemovedAndSaysWhy(@TempDir Path dir) throws Exception {
        Path pause = Files.createFile(dir.resolve("pause"));
        StepClock clock = new StepClock();
        List<String> reasons = new ArrayList<>();
        clock.onSleep = () -> {
            if (clock.slept >= 1_000_000_000L) {
                pause.toFile().delete();
            }
        };
        Throttle throttle = new Throttle(settings(OptionalDouble.empty(), Optional.of(pause)), StopRequest.NEVER,
                clock);

        assertThat(throttle.awaitTurn(null, 0, reasons::add)).isTrue();

        assertThat(clock.slept).isGreaterThanOrEqualTo(1_000_000_000L);
        assertThat(reasons).isNotEmpty().allMatch(r -> r.equals("paused: " + pause + " exists (remove it to resume)"));
    }

    @Test
    void aStopRequestEndsAWaitAtOnce(@TempDir Path dir) throws Exception {
        Path pause = Files.createFile(dir.resolve("pause"));
        StepClock clock = new StepClock();
        AtomicBoolean stop = new AtomicBoolean();
        clock.onSleep = () -> stop.set(clock.slept >= 400_000_000L);
        Throttle throttle = new Throttle(settings(OptionalDouble.empty(), Optional.of(pause)), stop::get, clock);

        assertThat(throttle.awaitTurn(null, 0, why -> { })).isFalse();
        assertThat(clock.slept).isEqualTo(400_000_000L);
    }

    @Test
    void theRateCapHoldsOverARunOfBatches() throws SQLException {
        StepClock clock = new StepClock();
        Throttle throttle = new Throttle(settings(OptionalDouble.of(5_000), Optional.empty()), StopRequest.NEVER,
                clock);
        long done = 0;
        long start = clock.now;
        while (done < 50_000) {
            assertThat(throttle.awaitTurn(null, done, why -> assertThat(why).contains("--max-rate 5,000"))).isTrue();
            int batch = throttle.batchSize();
            assertThat(batch).isLessThanOrEqualTo(500); // a tenth of a second's worth
            clock.now += batch * 20_000L;               // 20 µs a row: 10x faster than the cap
            throttle.observed(batch, batch * 20_000L);
            done += batch;
        }
        double rate = done / ((clock.now - start) / 1e9);

        assertThat(rate).isBetween(5_000 * 0.9, 5_000 * 1.1);
    }

    @Test
    void aBusyDatabaseGetsTheExtraTimeBack() throws SQLException {
        StepClock clock = new StepClock();
        List<String> reasons = new ArrayList<>();
        Throttle throttle = new Throttle(new ThrottleSettings(Duration.ZERO, 1000, 1000, 1000, OptionalDouble.empty(),
                Duration.ZERO, Optional.empty(), 1.5), StopRequest.NEVER, clock);
        for (int i = 0; i < 3; i++) {
            throttle.observed(1000, 10_000_000L); // 10 ms a batch: the baseline
        }
        assertThat(throttle.awaitTurn(null, 3000, reasons::add)).isTrue();
        assertThat(clock.slept).isZero();

        throttle.observed(1000, 30_000_000L); // 3x slower: the application is busy
        assertThat(throttle.awaitTurn(null, 4000, reasons::add)).isTrue();

        // (3 - 1) x the batch's 30 ms: the slower the batches, the larger the application's share of the time.
        assertThat(clock.slept).isEqualTo(60_000_000L);
        assertThat(reasons).first().asString().contains("database busy").contains("3.0x");
    }

    private static final long BASELINE_NANOS = CommitTail.BASELINE_SAMPLES * CommitProbe.INTERVAL_NANOS;

    /** A probe fed by hand: one commit of {@code commitNanos[0]} per 10 ms the throttle sleeps. */
    private static CommitProbe probeFedWhileAsleep(StepClock clock, long[] commitNanos) {
        CommitProbe probe = new CommitProbe(null, 1.5, clock); // not started: fed by hand
        long[] fed = {0};
        clock.onSleep = () -> {
            while (fed[0] < clock.slept / CommitProbe.INTERVAL_NANOS) {
                probe.observed(commitNanos[0]);
                fed[0]++;
            }
        };
        return probe;
    }

    private static Throttle watching(CommitProbe probe, StepClock clock) {
        return new Throttle(new ThrottleSettings(Duration.ofMillis(100), 1000, 100, 20_000, OptionalDouble.empty(),
                Duration.ZERO, Optional.empty(), 1.5), StopRequest.NEVER, clock, Optional.of(probe));
    }

    @Test
    void slowCommitsDuringTheFixHoldItUntilTheyAreForgotten() throws SQLException {
        StepClock clock = new StepClock();
        long[] commit = {1_000_000L}; // quiet: 1 ms
        CommitProbe probe = probeFedWhileAsleep(clock, commit);
        Throttle throttle = watching(probe, clock);
        List<String> reasons = new ArrayList<>();

        // Held until the quiet baseline is measured (500 commits: 5 s).
        assertThat(throttle.awaitTurn(null, 0, reasons::add)).isTrue();
        assertThat(clock.slept).isGreaterThanOrEqualTo(BASELINE_NANOS);
        assertThat(reasons).contains("measuring the commit time before the first batch");

        // A batch during which a dozen commits took 5x the quiet p99: the next one waits until they are forgotten.
        for (int i = 0; i < 12; i++) {
            probe.observed(5_000_000L);
        }
        reasons.clear();
        long before = clock.slept;
        assertThat(throttle.awaitTurn(null, 1000, reasons::add)).isTrue();

        assertThat(clock.slept - before).as("held").isGreaterThan(500_000_000L)
                .isLessThan(CommitProbe.REMEASURE_AFTER_NANOS);
        assertThat(reasons).isNotEmpty().allMatch(r -> r.startsWith("signups would wait: ")
                && r.contains("of recent commits took over 1.5 ms (1.5x their p99 with the fix idle"));
    }

    /**
     * The application got busier after the baseline (its commits now take 4 ms, not 1 ms) and stays so while the
     * fix holds: the slowness is not the fix's, so after a bounded hold the baseline is measured again and the fix
     * goes on, judged against the busier database, instead of waiting for an hour that may never come.
     */
    @Test
    void commitsThatStaySlowWhileTheFixIsIdleAreMeasuredAgainNotWaitedOutForever() throws SQLException {
        StepClock clock = new StepClock();
        long[] commit = {1_000_000L};
        CommitProbe probe = probeFedWhileAsleep(clock, commit);
        Throttle throttle = watching(probe, clock);
        assertThat(throttle.awaitTurn(null, 0, why -> { })).isTrue();

        commit[0] = 4_000_000L;
        for (int i = 0; i < 20; i++) {
            probe.observed(commit[0]); // during a batch: the application's commits got slower
        }
        List<String> reasons = new ArrayList<>();
        long before = clock.slept;
        assertThat(throttle.awaitTurn(null, 1000, reasons::add)).isTrue();

        long held = clock.slept - before;
        assertThat(held).as("held for the bound, then the baseline's time, not longer")
                .isGreaterThanOrEqualTo(CommitProbe.REMEASURE_AFTER_NANOS + BASELINE_NANOS)
                .isLessThan(CommitProbe.REMEASURE_AFTER_NANOS + BASELINE_NANOS + 1_000_000_000L);
        assertThat(reasons).first().asString().startsWith("signups would wait: ");
        assertThat(reasons).anyMatch(r -> r.startsWith("signups' commits: ")
                && r.contains("still took over 1.5 ms after 60 s with the fix idle, so not because of it"));
        assertThat(reasons).last().asString().isEqualTo(
                "measuring the commit time again, with the fix idle (it stayed slow without the fix's writes)");

        // Judged against the busier baseline now: the same 4 ms commits no longer hold the fix, 7 ms ones do.
        reasons.clear();
        assertThat(throttle.awaitTurn(null, 2000, reasons::add)).isTrue();
        assertThat(reasons).isEmpty();
        for (int i = 0; i < 12; i++) {
            probe.observed(7_000_000L);
        }
        assertThat(throttle.awaitTurn(null, 3000, reasons::add)).isTrue();
        assertThat(reasons).isNotEmpty()
                .allMatch(r -> r.contains("took over 6.0 ms (1.5x their p99 with the fix idle"));
    }
}
