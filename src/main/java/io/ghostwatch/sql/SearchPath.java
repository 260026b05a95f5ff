package io.ghostwatch.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The search_path ghostwatch's transactions resolve names through: pg_catalog alone (and pg_temp last), so a
 * function or operator that a less trusted role created in a schema of the database's own path (public, auth)
 * is never picked for one ghostwatch calls (CVE-2018-1058's class). It is set per transaction, never per session:
 * behind a pooler in transaction mode each transaction may run on another server session, and a session setting
 * would stay behind on one that the application's clients get next. Every transaction ghostwatch opens starts
 * with {@link #begin} (SqlCallsTest holds the code to that); statements outside one keep to SQL that no path can
 * redirect (schema-qualified or typed calls, the same test).
 */
public final class SearchPath {

    /** A select-list item that pins the path for the current transaction only. */
    public static final String PIN = "pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true)";

    private SearchPath() {
    }

    /** Opens a transaction on {@code c} (auto-commit off) whose first statement is the pin. */
    public static void begin(Connection c) throws SQLException {
        c.setAutoCommit(false);
        pin(c);
    }

    /** Work on a connection that may throw what JDBC throws. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws SQLException;
    }

    /**
     * {@code work} in a pinned transaction of its own, committed; the connection left in its old auto-commit. For
     * reads that would otherwise run one auto-committed statement each, on whatever path the session has.
     */
    public static <T> T inTransaction(Connection c, Work<T> work) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        begin(c);
        try {
            T result = work.run();
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure); // the connection is likely gone; the first error says why
            }
            throw e;
        } finally {
            if (!c.isClosed()) {
                c.setAutoCommit(autoCommit);
            }
        }
    }

    /** Pins the transaction {@code c} is in, or starts: after a commit in a loop, before the next statement. */
    public static void pin(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SELECT " + PIN);
        }
    }
}
