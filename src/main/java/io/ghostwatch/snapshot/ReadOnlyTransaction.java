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
 * SnapshotQueries#SESSION}: search_path, timeouts, planner), optionally in a snapshot another connection exported.
 * Isolation and read-only are the transaction's own ({@code SET TRANSACTION}), never the session's: the driver's
 * setTransactionIsolation would change the session's default, which behind a pooler in transaction mode stays on a
 * server session that the application's clients get next. Closing it rolls back (harmless after a commit) and
 * gives the connection back in its old auto-commit.
 */
final class ReadOnlyTransaction implements AutoCloseable {

    /** What pg_export_snapshot returns (hex groups joined by dashes): spliced into SET, so checked first. */
    private static final Pattern SNAPSHOT_ID = Pattern.compile("[0-9A-Fa-f]+(-[0-9A-Fa-f]+)*");

    private final Connection c;
    private final boolean autoCommit;
    private Instant databaseTime;

    private ReadOnlyTransaction(Connection c) throws SQLException {
        this.c = c;
        this.autoCommit = c.getAutoCommit();
    }

    static ReadOnlyTransaction begin(Connection c, Duration statementTimeout, Duration lockTimeout,
                                     Optional<String> exportedSnapshot) throws SQLException {
        ReadOnlyTransaction tx = new ReadOnlyTransaction(c);
        c.setAutoCommit(false);
        try {
            try (Statement st = c.createStatement()) { // these must come first in the transaction
                st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                if (exportedSnapshot.isPresent()) {
                    if (!SNAPSHOT_ID.matcher(exportedSnapshot.get()).matches()) {
                        throw new IllegalStateException("not a snapshot id: " + exportedSnapshot.get());
                    }
                    st.execute("SET TRANSACTION SNAPSHOT '" + exportedSnapshot.get() + "'");
                }
            }
            try (PreparedStatement st = c.prepareStatement(SnapshotQueries.SESSION)) {
                st.setString(1, statementTimeout.toMillis() + "ms");
                st.setString(2, lockTimeout.toMillis() + "ms");
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    tx.databaseTime = rs.getTimestamp(6).toInstant();
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
                c.setAutoCommit(autoCommit);
            }
        }
    }
}
