package io.ghostwatch.remediate;

import java.sql.SQLException;

/** A batch failed after {@code committed} rows were committed by earlier batches (they stay; a rerun completes). */
final class PartialFixException extends SQLException {

    private final long committed;

    PartialFixException(long committed, Exception cause) {
        super(cause.getMessage(), cause instanceof SQLException s ? s.getSQLState() : null, cause);
        this.committed = committed;
    }

    long committed() {
        return committed;
    }
}
