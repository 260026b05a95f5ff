package io.ghostwatch.remediate;

import java.time.Duration;
import java.util.Locale;

/** Validated settings of the guarded fixes. */
public record RemediationSettings(int batchSize, Duration lockTimeout, Duration statementTimeout,
                                  ColumnMapping backfillColumns, BackfillMode backfillMode) {

    public RemediationSettings(int batchSize, Duration lockTimeout, Duration statementTimeout,
                               ColumnMapping backfillColumns) {
        this(batchSize, lockTimeout, statementTimeout, backfillColumns, BackfillMode.AUTO);
    }

    /** How a backfill writes profiles (ghostwatch.remediate.backfill-mode). */
    public enum BackfillMode {
        AUTO, REPLAY, MAPPING;

        public static BackfillMode parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("must be auto, replay or mapping, was '" + text.trim() + "'");
            }
        }
    }
}
