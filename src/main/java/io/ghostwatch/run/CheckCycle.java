package io.ghostwatch.run;

import io.ghostwatch.config.Settings;
import io.ghostwatch.metrics.Metric;
import io.ghostwatch.metrics.MetricsState;
import io.ghostwatch.metrics.RunMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One run and its in-process record: check, then the run's series for {@code /q/metrics} and the state the
 * health checks read. Runs never overlap: a run that finds another in progress is skipped, not queued.
 */
@ApplicationScoped
public class CheckCycle {

    @Inject
    CheckService checks;

    @Inject
    MetricsState metrics;

    private final ReentrantLock running = new ReentrantLock();
    private volatile RunRecord last;
    private volatile Instant inProgressSince;

    /**
     * Runs now, waiting for nothing, and hands the run to {@code outputs} inside the same guard (history and
     * notifications take connections too: overlapping them with the next run could exhaust the pool); empty
     * when another run is still in progress.
     */
    public <T> Optional<T> runIfIdle(Settings settings, Function<RunRecord, T> outputs) {
        if (!running.tryLock()) {
            return Optional.empty();
        }
        try {
            inProgressSince = Instant.now();
            return Optional.of(outputs.apply(run(settings)));
        } finally {
            inProgressSince = null;
            running.unlock();
        }
    }

    private RunRecord run(Settings settings) {
        Instant started = Instant.now();
        RunRecord record;
        try {
            CheckOutcome outcome = checks.check(settings);
            record = new RunRecord(UUID.randomUUID(), settings.target(), started, outcome.finishedAt(),
                    Optional.of(outcome),
                    Optional.empty(), RunMetrics.of(outcome));
        } catch (CannotCheckException e) {
            Instant finished = Instant.now();
            RunMetrics failed = RunMetrics.failed(finished, Duration.between(started, finished));
            if (e.signupBlockers().isPresent()) {
                failed = failed.with(Metric.SIGNUP_BLOCKERS, e.signupBlockers().getAsInt());
            }
            record = new RunRecord(UUID.randomUUID(), settings.target(), started, finished, Optional.empty(),
                    Optional.of(e), failed);
        }
        metrics.record(settings.target(), record.metrics());
        last = record;
        return record;
    }

    /** The latest finished run, if any. */
    public Optional<RunRecord> last() {
        return Optional.ofNullable(last);
    }

    /** When the run in progress started, if one is. */
    public Optional<Instant> inProgressSince() {
        return Optional.ofNullable(inProgressSince);
    }
}
