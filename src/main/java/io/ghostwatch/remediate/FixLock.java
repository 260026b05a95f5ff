package io.ghostwatch.remediate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A session advisory lock per target, so two operators cannot run fixes on the same database at once. Keyed on
 * ("ghst", hashtext(target)); held on the connection doing the work and released when it closes.
 */
final class FixLock {

    private static final int NAMESPACE = 0x67687374; // "ghst"

    private FixLock() {
    }

    static boolean tryAcquire(Connection c, String target) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "SELECT pg_catalog.pg_try_advisory_lock(?, pg_catalog.hashtext(?::text))")) {
            st.setInt(1, NAMESPACE);
            st.setString(2, target);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    static void release(Connection c, String target) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "SELECT pg_catalog.pg_advisory_unlock(?, pg_catalog.hashtext(?::text))")) {
            st.setInt(1, NAMESPACE);
            st.setString(2, target);
            st.execute();
        }
    }

    /** Who holds it: for the message the second operator gets. */
    static Optional<String> holder(Connection c, String target) throws SQLException {
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
    }
}
