package io.ghostwatch.remediate;

import io.ghostwatch.config.Settings;
import io.ghostwatch.sql.PgArrays;
import io.ghostwatch.throttle.Throttle;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.UUID;

/**
 * Runs a batch statement over a list of ids (the unmatched ones, read once), a slice per short transaction,
 * each slice as large as the throttle says and started when it says. The statement re-checks every id (a
 * signup may have repaired it meanwhile), records the changed ids for the audit in the same transaction and
 * returns how many it {@code changed}. Parameters: the slice (an untyped array literal, cast by the
 * server to the id column's type), the remediation id.
 */
final class IdBatches {

    private IdBatches() {
    }

    /** The common end of every batch statement: the audit's ids in the same transaction, then how many changed. */
    static String recordAndCount(Settings settings, String changedCte, String idColumn, String remediationParam) {
        return ", recorded AS (INSERT INTO " + settings.history().table("remediated_ids")
                + " (remediation_id, user_id) SELECT " + remediationParam + ", " + idColumn + "::text FROM "
                + changedCte + ") SELECT count(*) AS changed FROM " + changedCte;
    }

    /**
     * A stop request ends the run between batches with {@link InterruptedFixException}; any failure with
     * {@link PartialFixException}: both carry the rows committed so far, which stay.
     */
    static long run(Connection c, Settings settings, String sql, List<String> ids, UUID remediationId,
                    Progress progress, Throttle throttle) throws SQLException {
        long changed = 0;
        int from = 0;
        while (from < ids.size()) {
            long done = changed;
            try {
                if (!throttle.awaitTurn(c, done, why -> progress.waiting(done, why))) {
                    throw new InterruptedFixException(changed);
                }
                int size = Math.min(throttle.batchSize(), ids.size() - from);
                Transactions.begin(c, settings);
                long started = System.nanoTime();
                try (PreparedStatement st = c.prepareStatement(sql)) {
                    st.setObject(1, PgArrays.literal(ids.subList(from, from + size)), Types.OTHER);
                    st.setObject(2, remediationId);
                    try (ResultSet rs = st.executeQuery()) {
                        rs.next();
                        changed += rs.getLong("changed");
                    }
                }
                c.commit();
                throttle.observed(size, System.nanoTime() - started);
                from += size;
                progress.update(changed, from >= ids.size(), size);
            } catch (InterruptedFixException e) {
                throw e;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw new PartialFixException(done, e);
            }
        }
        return changed;
    }

    private static void rollbackQuietly(Connection c, Exception failure) {
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
        } catch (SQLException e) {
            failure.addSuppressed(e); // the connection is likely gone; the first error says why
        }
    }
}
