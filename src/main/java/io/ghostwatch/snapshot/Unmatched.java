package io.ghostwatch.snapshot;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The ids without a partner, in key order, read once by the fixes: the identities without a profile (ghosts,
 * anonymous ones included) and the profiles without an identity (orphans). One merge join over the two primary
 * keys, as a full scan does, in a read-only transaction of its own; a fix then writes exactly these rows, in
 * batches that each look up their own ids, instead of scanning the whole table batch by batch for them.
 */
public record Unmatched(List<String> identityIds, List<String> profileIds) {

    public static Unmatched read(Connection c, TargetSchema schema, Duration statementTimeout, Duration lockTimeout)
            throws SQLException {
        try (ReadOnlyTransaction tx = ReadOnlyTransaction.begin(c, statementTimeout, lockTimeout, Optional.empty())) {
            Pairs pairs = new PairScan(schema, new SnapshotQueries(schema)).scan(c, Optional.empty(), 1,
                    statementTimeout, lockTimeout);
            return new Unmatched(pairs.ghostIds(), pairs.orphanIds());
        }
    }
}
