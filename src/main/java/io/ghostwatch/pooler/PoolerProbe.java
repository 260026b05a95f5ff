package io.ghostwatch.pooler;

import io.ghostwatch.sql.ConnectionSource;
import io.ghostwatch.sql.SearchPath;
import io.ghostwatch.sql.Sql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executor;

/**
 * Tells whether a connection keeps its server session, or a pooler in transaction mode hands each transaction to
 * whichever server session is free. Two transactions of one connection alone prove nothing: an idle pool gives
 * the same session back (PgBouncer takes the most recently used). So a second connection opens a transaction and
 * holds it while the first asks again: in transaction mode the second one is handed the first one's idle session
 * (the same backend pid), or the first one gets another session next; with a session of its own, neither
 * happens. Leaves nothing behind: two read-only statements, the second connection's transaction rolled back.
 */
public final class PoolerProbe {

    /** How long the second connection may wait for a server session; a session pool can be full. */
    static final int WAIT_MILLIS = 5_000;

    private PoolerProbe() {
    }

    public static Pooling probe(ConnectionSource source) throws SQLException {
        try (Connection first = source.open()) {
            first.setAutoCommit(true);
            int before = backend(first);
            try (Connection second = source.open()) {
                second.setNetworkTimeout(DIRECT, WAIT_MILLIS);
                int held;
                try {
                    SearchPath.begin(second); // the transaction that holds whichever session it is given
                    held = backend(second);
                } catch (SQLException e) {
                    return Pooling.unknown("a second connection got no server session within "
                            + WAIT_MILLIS / 1000 + " s: " + Sql.firstLine(e));
                }
                if (held == before) {
                    return Pooling.transactions("the server session of one connection's finished transaction,"
                            + " backend " + before + ", went to another connection's transaction");
                }
                int after = backend(first);
                second.rollback();
                if (after != before) {
                    return Pooling.transactions("one connection's transactions ran on backends " + before
                            + " and " + after);
                }
                return Pooling.sessions("backend " + before + " kept while another connection held "
                        + "backend " + held);
            }
        }
    }

    private static int backend(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_catalog.pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Runs the driver's timeout work on the calling thread; setNetworkTimeout only needs an executor to exist. */
    private static final Executor DIRECT = Runnable::run;
}
