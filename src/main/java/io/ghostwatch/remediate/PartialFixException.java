package io.ghostwatch.remediate;

import io.ghostwatch.sql.Sql;

import java.sql.SQLException;

/** A batch failed after {@code committed} rows were committed by earlier batches (they stay; a rerun completes). */
final class PartialFixException extends SQLException {

    private final long committed;

    PartialFixException(long committed, Exception cause) {
        // The cause's first line only: its Detail would carry the failing row's values (e-mails).
        super(cause instanceof SQLException s ? Sql.firstLine(s) : cause.getMessage(),
                cause instanceof SQLException s ? s.getSQLState() : null, cause);
        this.committed = committed;
    }

    long committed() {
        return committed;
    }
}
