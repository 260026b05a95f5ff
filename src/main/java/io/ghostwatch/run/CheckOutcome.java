package io.ghostwatch.run;

import io.ghostwatch.judge.Verdict;
import io.ghostwatch.snapshot.Snapshot;

import java.time.Instant;

/** A run that reached the database and finished its checks. */
public record CheckOutcome(String target, DatabaseLocation database, Instant startedAt, Instant finishedAt,
                           Snapshot snapshot, Verdict verdict) {
}
