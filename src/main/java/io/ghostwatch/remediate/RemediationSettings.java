package io.ghostwatch.remediate;

import java.time.Duration;

/** Validated settings of the guarded fixes. */
public record RemediationSettings(int batchSize, Duration lockTimeout, Duration statementTimeout,
                                  ColumnMapping backfillColumns) {
}
