package io.ghostwatch.remediate;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * How a row fix writes one batch of its planned ids, inside a transaction {@link IdBatches} opened: it re-checks
 * every id, writes, and returns how many rows it changed; with {@code audit}, it records the changed ids under
 * that remediation in the same transaction (a trial run, rolled back, records nothing).
 */
interface BatchWriter {

    long write(Connection c, List<String> ids, Optional<UUID> audit) throws SQLException;

    /** The statements it runs per batch, for the plan. */
    List<String> statements();

    /** One line: how the rows are written (the dry run and the audit say it). */
    String how();

    /** What to change when {@code failure} is this writer's own doing (a setting it was built from), if anything. */
    default Optional<String> hint(SQLException failure) {
        return Optional.empty();
    }
}
