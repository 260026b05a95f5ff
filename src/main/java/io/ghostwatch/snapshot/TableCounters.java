package io.ghostwatch.snapshot;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/**
 * The two tables' cumulative row counters ({@code pg_stat_user_tables}) and what tells that they started
 * over: the server's start (a crash, a restart or a failover to another server resets or replaces them) and
 * the database's statistics reset. Read outside the snapshot's transaction and before it, so every change
 * they count is in the snapshot or will show as a difference next time, never the reverse.
 */
public record TableCounters(long identityInserts, long identityUpdates, long identityDeletes, long profileInserts,
                            long profileUpdates, long profileDeletes, Instant serverStart,
                            Optional<Instant> statsReset) {

    private static final String QUERY = """
            SELECT coalesce(i.n_tup_ins, 0), coalesce(i.n_tup_upd, 0), coalesce(i.n_tup_del, 0),
                   coalesce(p.n_tup_ins, 0), coalesce(p.n_tup_upd, 0), coalesce(p.n_tup_del, 0),
                   pg_postmaster_start_time(),
                   (SELECT stats_reset FROM pg_stat_database WHERE datname = current_database())
            FROM (SELECT 1) one
            LEFT JOIN pg_stat_user_tables i ON i.relid = to_regclass(?)
            LEFT JOIN pg_stat_user_tables p ON p.relid = to_regclass(?)
            """;

    public static TableCounters read(Connection c, TargetSchema schema) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(QUERY)) {
            st.setString(1, schema.identityTable().quoted());
            st.setString(2, schema.profileTable().quoted());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return new TableCounters(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                        rs.getLong(6), rs.getTimestamp(7).toInstant(),
                        Optional.ofNullable(rs.getTimestamp(8)).map(Timestamp::toInstant));
            }
        }
    }
}
