package io.ghostwatch.throttle;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/** Reads the primary's standbys from {@code pg_stat_replication}, and its own WAL position, in one query. */
final class ReplicaMonitor {

    /**
     * A role without pg_monitor (pg_read_all_stats) sees other roles' walsenders with their state and positions
     * NULL: that is how an invisible standby shows. The current position is NULL on a standby (nothing to write).
     */
    private static final String STANDBYS = """
            SELECT pg_catalog.pg_wal_lsn_diff(pg_catalog.pg_current_wal_lsn(), '0/0')::bigint AS primary_lsn,
                   s.name, s.visible, s.replay_lsn, s.replay_lag
            FROM (SELECT 1) one
            LEFT JOIN (SELECT coalesce(nullif(application_name, ''), pg_catalog.host(client_addr), 'pid ' || pid) AS name,
                              state IS NOT NULL AS visible,
                              pg_catalog.pg_wal_lsn_diff(replay_lsn, '0/0')::bigint AS replay_lsn,
                              extract(epoch FROM replay_lag)::float8 AS replay_lag
                       FROM pg_stat_replication) s ON true
            ORDER BY s.name
            """;

    record Reading(long primaryLsn, List<Standby> standbys) {
    }

    Reading read(Connection c) throws SQLException {
        List<Standby> standbys = new ArrayList<>();
        long primary = 0;
        try (PreparedStatement st = c.prepareStatement(STANDBYS); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                primary = rs.getLong("primary_lsn");
                String name = rs.getString("name");
                if (name == null) {
                    continue; // no standby at all
                }
                long replay = rs.getLong("replay_lsn");
                OptionalLong replayLsn = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(replay);
                double lag = rs.getDouble("replay_lag");
                OptionalDouble reported = rs.wasNull() ? OptionalDouble.empty() : OptionalDouble.of(lag);
                standbys.add(new Standby(name, rs.getBoolean("visible"), replayLsn, reported));
            }
        }
        return new Reading(primary, standbys);
    }
}
