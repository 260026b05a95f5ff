package io.ghostwatch.remediate;

/** The operator stopped the fix (Ctrl-C, SIGTERM) between batches; {@code committed} rows stay. */
final class InterruptedFixException extends java.sql.SQLException {

    private final long committed;

    InterruptedFixException(long committed) {
        super("stopped on request after " + committed + " rows");
        this.committed = committed;
    }

    long committed() {
        return committed;
    }
}
