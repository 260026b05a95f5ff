package io.ghostwatch.run;

import io.ghostwatch.canary.CanaryResult;
import io.ghostwatch.diagnose.Cause;
import io.ghostwatch.judge.Evidence;
import io.ghostwatch.judge.Verdict;
import io.ghostwatch.snapshot.Snapshot;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A run that reached the database and finished its checks: what it read and probed, and the verdict. */
public record CheckOutcome(String target, DatabaseLocation database, Instant startedAt, Instant finishedAt,
                           Evidence evidence, Verdict verdict) {

    public Snapshot snapshot() {
        return evidence.snapshot();
    }

    public Optional<CanaryResult> canary() {
        return evidence.canary();
    }

    public List<Cause> causes() {
        return evidence.causes();
    }
}
