package io.ghostwatch.signups;

import io.ghostwatch.sql.Identifier;

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

    /** Schema usage first: to_regclass raises, rather than answers, for a schema the role may not use. */
    private static final String READABLE = """
            SELECT pg_catalog.has_schema_privilege(n.oid, 'USAGE')
                   AND pg_catalog.has_table_privilege(c.oid, 'SELECT')
            FROM pg_catalog.pg_namespace n
            JOIN pg_catalog.pg_class c ON c.relnamespace OPERATOR(pg_catalog.=) n.oid
            WHERE n.nspname OPERATOR(pg_catalog.=) ?::text AND c.relname OPERATOR(pg_catalog.=) 'signup_state'
            """;

    /**
     * The target's row from {@code <schema>.signup_state}, or empty when there is none, or the table does not
     * exist (yet) or may not be read.
     */
    public static Optional<SignupLedger> read(Connection c, Identifier schema, String target) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(READABLE)) {
            st.setString(1, schema.name());
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return Optional.empty();
                }
            }
        }
        try (PreparedStatement st = c.prepareStatement("SELECT checked_at, identity_inserts, identity_deletes,"
                + " identity_live, identity_maintenance, identity_filenode, server_start, stats_reset,"
                + " canary_inserts, counting_since, last_commit_seen_at, rolled_back_since_commit, failing FROM "
                + schema.quoted() + ".signup_state WHERE target OPERATOR(pg_catalog.=) ?::text")) {
            st.setString(1, target);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                SignupCounters counters = new SignupCounters(rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        rs.getLong(5), rs.getLong(6), rs.getTimestamp(7).toInstant(), instant(rs, 8));
                return Optional.of(new SignupLedger(rs.getTimestamp(1).toInstant(), counters, rs.getLong(9),
                        rs.getTimestamp(10).toInstant(), instant(rs, 11), rs.getLong(12), rs.getBoolean(13)));
            }
        }
    }

    private static Optional<Instant> instant(ResultSet rs, int column) throws SQLException {
        return Optional.ofNullable(rs.getTimestamp(column)).map(Timestamp::toInstant);
    }
}
