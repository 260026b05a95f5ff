package io.ghostwatch.run;

import io.ghostwatch.metrics.RunMetrics;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One run, finished: either an outcome or the reason the database could not be checked, and its series.
 * {@code runId} ties the history row, notifications and remediation audit to the run.
 */
public record RunRecord(UUID runId, String target, Instant startedAt, Instant finishedAt, Optional<CheckOutcome> outcome,
                        Optional<CannotCheckException> failure, RunMetrics metrics) {

    public boolean checked() {
        return outcome.isPresent();
    }
}
