package io.ghostwatch.remediate;

import io.ghostwatch.config.Settings;
import io.ghostwatch.sql.SearchPath;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Each write transaction of a fix starts here: the search_path pin and short lock and statement timeouts, local
 * to it. Hash and merge
 * joins are off for the batch too: a keyset batch wants index probes from where the last one stopped, and the
 * planner otherwise hashes the whole other table for every batch of a thousand rows (50 times slower at 1M).
 * A batch does not wait for its WAL flush (synchronous_commit off): a crash can lose only the last batches,
 * which a rerun redoes (every batch is idempotent), and signups stop queueing behind the backfill's fsyncs.
 */
final class Transactions {

    private Transactions() {
    }

    static void begin(Connection c, Settings settings) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement st = c.prepareStatement(
                "SELECT " + SearchPath.PIN + ", pg_catalog.set_config('lock_timeout', ?, true),"
                        + " pg_catalog.set_config('statement_timeout', ?, true),"
                        + " set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true),"
                        + " set_config('synchronous_commit', 'off', true)")) {
            st.setString(1, settings.remediation().lockTimeout().toMillis() + "ms");
            st.setString(2, settings.remediation().statementTimeout().toMillis() + "ms");
            st.execute();
        }
    }
}
