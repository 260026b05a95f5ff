package io.ghostwatch.snapshot;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A {@code READ ONLY}, {@code REPEATABLE READ} transaction with a snapshot's settings ({@link
 * SnapshotQueries#SESSION}: timeouts, planner), optionally in a snapshot another connection exported. Closing it
 * rolls back (harmless after a commit) and gives the connection back as it was: a pooled connection leaves
 * read-write, in its old isolation and auto-commit.
 */
final class ReadOnlyTransaction implements AutoCloseable {

    /** What pg_export_snapshot returns (hex groups joined by dashes): spliced into SET, so checked first. */
    private static final Pattern SNAPSHOT_ID = Pattern.compile("[0-9A-Fa-f]+(-[0-9A-Fa-f]+)*");

    private final Connection c;
    private final boolean autoCommit;
    private final int isolation;
    private Instant databaseTime;

    private ReadOnlyTransaction(Connection c) throws SQLException {
        this.c = c;
        this.autoCommit = c.getAutoCommit();
        this.isolation = c.getTransactionIsolation();
    }

    static ReadOnlyTransaction begin(Connection c, Duration statementTimeout, Duration lockTimeout,
                                     Optional<String> exportedSnapshot) throws SQLException {
        ReadOnlyTransaction tx = new ReadOnlyTransaction(c);
        c.setAutoCommit(false);
        c.setReadOnly(true);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try {
            if (exportedSnapshot.isPresent()) {
                if (!SNAPSHOT_ID.matcher(exportedSnapshot.get()).matches()) {
                    throw new IllegalStateException("not a snapshot id: " + exportedSnapshot.get());
                }
                try (Statement st = c.createStatement()) { // must come first in the transaction
                    st.execute("SET TRANSACTION SNAPSHOT '" + exportedSnapshot.get() + "'");
                }
            }
            try (PreparedStatement st = c.prepareStatement(SnapshotQueries.SESSION)) {
                st.setString(1, statementTimeout.toMillis() + "ms");
                st.setString(2, lockTimeout.toMillis() + "ms");
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    tx.databaseTime = rs.getTimestamp(5).toInstant();
                }
            }
        } catch (SQLException | RuntimeException failure) {
            try {
                tx.close();
            } catch (SQLException restoreFailure) {
                failure.addSuppressed(restoreFailure); // the connection is likely gone; the first error says why
            }
            throw failure;
        }
        return tx;
    }

    /** The clock every age is measured against: the transaction's start. */
    Instant databaseTime() {
        return databaseTime;
    }

    @Override
    public void close() throws SQLException {
        if (!c.isClosed()) {
            try {
                c.rollback();
            } finally {
                c.setReadOnly(false);
                c.setTransactionIsolation(isolation);
                c.setAutoCommit(autoCommit);
            }
        }
    }
}
