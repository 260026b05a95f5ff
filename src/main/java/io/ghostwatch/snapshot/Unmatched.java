package io.ghostwatch.snapshot;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * The ids without a partner, in key order, read once by the fixes: the identities without a profile (ghosts,
 * anonymous ones included) and the profiles without an identity (orphans). One merge join over the two primary
 * keys, as a full scan does, in a read-only transaction of its own; a fix then writes exactly these rows, in
 * batches that each look up their own ids, instead of scanning the whole table batch by batch for them.
 */
public record Unmatched(List<String> identityIds, List<String> profileIds) {

    public static Unmatched read(Connection c, TargetSchema schema, Duration statementTimeout, Duration lockTimeout)
            throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        int isolation = c.getTransactionIsolation();
        c.setAutoCommit(false);
        c.setReadOnly(true);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try {
            try (PreparedStatement st = c.prepareStatement(SnapshotQueries.SESSION)) {
                st.setString(1, statementTimeout.toMillis() + "ms");
                st.setString(2, lockTimeout.toMillis() + "ms");
                st.executeQuery().close();
            }
            SnapshotQueries queries = new SnapshotQueries(schema);
            Pairs pairs = new PairScan(schema, queries).scan(c, java.util.Optional.empty(), 1, x -> { });
            return new Unmatched(pairs.ghostIds(), pairs.orphanIds());
        } finally {
            c.rollback();
            c.setReadOnly(false);
            c.setTransactionIsolation(isolation);
            c.setAutoCommit(autoCommit);
        }
    }
}
