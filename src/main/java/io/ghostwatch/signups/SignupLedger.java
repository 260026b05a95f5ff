package io.ghostwatch.signups;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/**
 * What the last check of a target left for the next one to count signups against (history table
 * {@code signup_state}, one row per target): its counters, the canary's own inserts made after they were
 * read, and where the count of failing signups stands.
 *
 * @param checkedAt             the database time of that check
 * @param canaryInserts         identity rows the canary wrote (and rolled back) after the counters were read:
 *                              the next check subtracts them, so they never count as failed signups
 * @param countingSince         when the count began (the first check with history, or a reset)
 * @param lastCommitSeenAt      the check that last proved a committed signup (it committed before that time)
 * @param rolledBackSinceCommit rolled-back attempts since that check (or since counting began)
 * @param failing               whether the last check judged every signup failing (P0 until one commits)
 */
public record SignupLedger(Instant checkedAt, SignupCounters counters, long canaryInserts, Instant countingSince,
                           Optional<Instant> lastCommitSeenAt, long rolledBackSinceCommit, boolean failing) {

    private static final String READABLE = "SELECT pg_catalog.to_regclass(?::text) IS NOT NULL"
            + " AND pg_catalog.has_table_privilege(pg_catalog.to_regclass(?::text), 'SELECT')";

    /** The target's row, or empty when there is none or the table does not exist (yet) or may not be read. */
    public static Optional<SignupLedger> read(Connection c, String table, String target) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(READABLE)) {
            st.setString(1, table);
            st.setString(2, table);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return Optional.empty();
                }
            }
        }
        try (PreparedStatement st = c.prepareStatement("SELECT checked_at, identity_inserts, identity_deletes,"
                + " identity_live, identity_maintenance, server_start, stats_reset, canary_inserts, counting_since,"
                + " last_commit_seen_at, rolled_back_since_commit, failing FROM " + table
                + " WHERE target OPERATOR(pg_catalog.=) ?::text")) {
            st.setString(1, target);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                SignupCounters counters = new SignupCounters(rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        rs.getLong(5), rs.getTimestamp(6).toInstant(), instant(rs, 7));
                return Optional.of(new SignupLedger(rs.getTimestamp(1).toInstant(), counters, rs.getLong(8),
                        rs.getTimestamp(9).toInstant(), instant(rs, 10), rs.getLong(11), rs.getBoolean(12)));
            }
        }
    }

    private static Optional<Instant> instant(ResultSet rs, int column) throws SQLException {
        return Optional.ofNullable(rs.getTimestamp(column)).map(Timestamp::toInstant);
    }
}
