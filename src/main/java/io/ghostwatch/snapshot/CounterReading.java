package io.ghostwatch.snapshot;

import io.ghostwatch.sql.Sql;
import io.ghostwatch.signups.SignupCounters;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/**
 * One read of {@code pg_stat_user_tables} that serves both the steady state ({@link TableCounters}) and the
 * signup attempt count ({@link SignupCounters}): statistics only, no table is touched or locked.
 */
public record CounterReading(TableCounters tables, SignupCounters signups) {

    private static final String QUERY = Sql.byName("""
            SELECT coalesce(i.n_tup_ins, 0), coalesce(i.n_tup_upd, 0), coalesce(i.n_tup_del, 0),
                   coalesce(p.n_tup_ins, 0), coalesce(p.n_tup_upd, 0), coalesce(p.n_tup_del, 0),
                   pg_catalog.pg_postmaster_start_time(),
                   (SELECT d.stats_reset FROM pg_catalog.pg_stat_database d
                    WHERE d.datname OPERATOR(pg_catalog.=) pg_catalog.current_database()),
                   coalesce(i.n_live_tup, 0),
                   coalesce(i.vacuum_count OPERATOR(pg_catalog.+) i.autovacuum_count
                            OPERATOR(pg_catalog.+) i.analyze_count OPERATOR(pg_catalog.+) i.autoanalyze_count, 0),
                   coalesce(pg_catalog.pg_relation_filenode(pg_catalog.to_regclass(?::text))::bigint, 0),
                   coalesce(p.n_live_tup, 0),
                   coalesce(p.vacuum_count OPERATOR(pg_catalog.+) p.autovacuum_count
                            OPERATOR(pg_catalog.+) p.analyze_count OPERATOR(pg_catalog.+) p.autoanalyze_count, 0),
                   coalesce(pg_catalog.pg_relation_filenode(pg_catalog.to_regclass(?::text))::bigint, 0)
            FROM (SELECT 1) one
            LEFT JOIN pg_catalog.pg_stat_user_tables i
                   ON i.relid OPERATOR(pg_catalog.=) pg_catalog.to_regclass(?::text)
            LEFT JOIN pg_catalog.pg_stat_user_tables p
                   ON p.relid OPERATOR(pg_catalog.=) pg_catalog.to_regclass(?::text)
            """);

    public static CounterReading read(Connection c, TargetSchema schema) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(QUERY)) {
            st.setString(1, schema.identityTable().quoted());
            st.setString(2, schema.profileTable().quoted());
            st.setString(3, schema.identityTable().quoted());
            st.setString(4, schema.profileTable().quoted());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                Instant start = rs.getTimestamp(7).toInstant();
                Optional<Instant> reset = Optional.ofNullable(rs.getTimestamp(8)).map(Timestamp::toInstant);
                return new CounterReading(new TableCounters(rs.getLong(1), rs.getLong(2), rs.getLong(3),
                        rs.getLong(4), rs.getLong(5), rs.getLong(6), start, reset, rs.getLong(9), rs.getLong(12),
                        rs.getLong(10), rs.getLong(13), rs.getLong(11), rs.getLong(14)),
                        new SignupCounters(rs.getLong(1), rs.getLong(3), rs.getLong(9), rs.getLong(10),
                                rs.getLong(11), start, reset));
            }
        }
    }
}
