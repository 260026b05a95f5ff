package io.ghostwatch.run;

import io.ghostwatch.metrics.RunMetrics;

import java.time.Instant;
import java.util.Optional;

/** One run, finished: either an outcome or the reason the database could not be checked, and its series. */
public record RunRecord(String target, Instant startedAt, Instant finishedAt, Optional<CheckOutcome> outcome,
                        Optional<CannotCheckException> failure, RunMetrics metrics) {

    public boolean checked() {
        return outcome.isPresent();
    }
}
