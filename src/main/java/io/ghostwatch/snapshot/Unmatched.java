package io.ghostwatch.snapshot;

import io.ghostwatch.sql.PgArrays;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The ids a fix plans to write, read once when it plans: the ghosts it judges (identities without a profile,
 * anonymous and deleted ones left out) or the unhandled orphans (profiles without an identity, soft-deleted
 * ones left out).
 * One merge join over the two primary keys, as a full scan does, then the few unmatched rows looked up by key,
 * all in one read-only transaction. The fix then writes these rows and no others, each re-checked in its batch:
 * what turns up later was never confirmed and is left for a new plan.
 */
public final class Unmatched {

    private Unmatched() {
    }

    /** The ghosts a check counts, in key order. */
    public static List<String> ghosts(Connection c, TargetSchema schema, Duration statementTimeout,
                                      Duration lockTimeout) throws SQLException {
        String kept = "NOT " + schema.excludedIdentity("i");
        String sql = "SELECT pg_catalog.array_agg(i." + schema.identityId().quoted() + "::text ORDER BY i."
                + schema.identityId().quoted() + ") FROM " + schema.identityRows().quoted() + " i WHERE i."
                + schema.identityId().quoted() + " = ANY (?) AND " + kept;
        return read(c, schema, statementTimeout, lockTimeout, true, sql);
    }

    /** The orphaned profiles not yet handled (not soft-deleted), in key order. */
    public static List<String> unhandledOrphans(Connection c, TargetSchema schema, Duration statementTimeout,
                                                Duration lockTimeout) throws SQLException {
        String kept = schema.softDeleteColumn().map(s -> "p." + s.quoted() + " IS NULL").orElse("true");
        String sql = "SELECT pg_catalog.array_agg(p." + schema.profileId().quoted() + "::text ORDER BY p."
                + schema.profileId().quoted() + ") FROM " + schema.profileTable().quoted() + " p WHERE p."
                + schema.profileId().quoted() + " = ANY (?) AND " + kept;
        return read(c, schema, statementTimeout, lockTimeout, false, sql);
    }

    private static List<String> read(Connection c, TargetSchema schema, Duration statementTimeout,
                                     Duration lockTimeout, boolean identities, String filter) throws SQLException {
        try (ReadOnlyTransaction tx = ReadOnlyTransaction.begin(c, statementTimeout, lockTimeout, Optional.empty())) {
            Pairs pairs = new PairScan(schema, new SnapshotQueries(schema)).scan(c, Optional.empty(), 1,
                    statementTimeout, lockTimeout);
            List<String> unmatched = identities ? pairs.ghostIds() : pairs.orphanIds();
            if (unmatched.isEmpty()) {
                return List.of();
            }
            try (PreparedStatement st = c.prepareStatement(filter)) {
                st.setObject(1, PgArrays.literal(unmatched), Types.OTHER);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    Array ids = rs.getArray(1);
                    return ids == null ? List.of() : Arrays.asList((String[]) ids.getArray());
                }
            }
        }
    }
}
