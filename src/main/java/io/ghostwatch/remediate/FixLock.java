package io.ghostwatch.remediate;

import io.ghostwatch.sql.ConnectionSource;
import io.ghostwatch.sql.SearchPath;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * One fix per target at a time: an advisory lock keyed on ("ghst", hashtext(target)), held by a transaction of
 * its own connection that stays open, idle, for the whole fix, and ends (rolled back) with it. A transaction lock,
 * not a session lock: behind a pooler in transaction mode a session lock lands on whichever server session ran
 * that statement and outlives ghostwatch there (the next fix would find it held), while an open transaction keeps
 * its server session in every pooling mode. The transaction reads nothing after taking the lock, so it holds no
 * snapshot back from vacuum; if the process dies, the connection closes and the lock goes with it.
 */
final class FixLock implements AutoCloseable {

    private static final int NAMESPACE = 0x67687374; // "ghst"

    private final Connection connection;

    private FixLock(Connection connection) {
        this.connection = connection;
    }

    /** The lock, or empty when another fix holds it. */
    static Optional<FixLock> tryAcquire(ConnectionSource source, String target) throws SQLException {
        Connection c = source.open();
        boolean held = false;
        try {
            SearchPath.begin(c);
            // A server-wide idle-in-transaction timeout would end the lock's transaction mid-fix.
            try (PreparedStatement st = c.prepareStatement("SELECT pg_catalog.set_config("
                    + "'idle_in_transaction_session_timeout', '0', true),"
                    + " pg_catalog.pg_try_advisory_xact_lock(?, pg_catalog.hashtext(?::text))")) {
                st.setInt(1, NAMESPACE);
                st.setString(2, target);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    held = rs.getBoolean(2);
                }
            }
            return held ? Optional.of(new FixLock(c)) : Optional.empty();
        } finally {
            if (!held) {
                release(c);
            }
        }
    }

    /** Ends the lock's transaction, which releases it. */
    @Override
    public void close() throws SQLException {
        release(connection);
    }

    /** Rolls the lock's transaction back (it only read) and gives the connection back, even when it broke. */
    private static void release(Connection c) throws SQLException {
        try {
            if (!c.isClosed()) {
                c.rollback();
            }
        } finally {
            c.close();
        }
    }

    /** Who holds it: for the message the second operator gets. */
    static Optional<String> holder(Connection c, String target) throws SQLException {
        // Pinned: l.classid = ? compares oid with an int4 parameter, an exact match for an operator on the path.
        return SearchPath.inTransaction(c, () -> {
            try (PreparedStatement st = c.prepareStatement("SELECT a.pid, a.usename, a.client_addr, a.backend_start"
                    + " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory'"
                    + " AND l.granted AND l.classid = ?"
                    + " AND l.objid::bigint = (pg_catalog.hashtext(?::text)::bigint & 4294967295)"
                    + " AND l.objsubid = 2")) {
                st.setInt(1, NAMESPACE);
                st.setString(2, target);
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of("backend pid " + rs.getInt(1) + ", role " + rs.getString(2)
                            + (rs.getString(3) == null ? "" : " from " + rs.getString(3))
                            + ", connected since " + rs.getTimestamp(4).toInstant());
                }
            }
        });
    }
}
