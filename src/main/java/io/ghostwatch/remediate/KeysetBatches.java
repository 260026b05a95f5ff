package io.ghostwatch.remediate;

import io.ghostwatch.config.Settings;
import io.ghostwatch.throttle.Throttle;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Runs a batch statement over a primary key until a batch comes back short. Each batch is its own short
 * transaction; the statement returns {@code last_id} (where the next batch starts), {@code scanned} and
 * {@code changed}. Parameters: [last id], batch size, remediation id.
 */
final class KeysetBatches {

    private KeysetBatches() {
    }

    /**
     * The common end of every batch statement: record the changed ids for the audit in the same transaction,
     * then return where the next batch starts, how many rows were scanned and how many changed.
     */
    static String recordAndCount(Settings settings, String changedCte, String idColumn, String remediationParam) {
        return ", recorded AS (INSERT INTO " + settings.history().table("remediated_ids")
                + " (remediation_id, user_id) SELECT " + remediationParam + ", " + idColumn + "::text FROM "
                + changedCte + ") SELECT (SELECT id FROM batch ORDER BY id DESC LIMIT 1) AS last_id,"
                + " (SELECT count(*) FROM batch) AS scanned, (SELECT count(*) FROM " + changedCte + ") AS changed";
    }

    /**
     * Batches until one comes back short, each sized and held by the throttle. A stop request ends the run
     * between batches with {@link InterruptedFixException}; any failure with {@link PartialFixException}: both
     * carry the rows committed so far, which stay.
     */
    static long run(Connection c, Settings settings, String firstSql, String nextSql, UUID remediationId,
                    Progress progress, Throttle throttle) throws SQLException {
        Object last = null;
        long changed = 0;
        while (true) {
            int batch;
            try {
                long done = changed;
                if (!throttle.awaitTurn(c, done, why -> progress.waiting(done, why))) {
                    throw new InterruptedFixException(changed);
                }
                batch = throttle.batchSize();
                Transactions.begin(c, settings);
            } catch (InterruptedFixException e) {
                throw e;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw new PartialFixException(changed, e);
            }
            long started = System.nanoTime();
            try (PreparedStatement st = c.prepareStatement(last == null ? firstSql : nextSql)) {
                int i = 1;
                if (last != null) {
                    st.setObject(i++, last);
                }
                st.setInt(i++, batch);
                st.setObject(i, remediationId);
                long scanned;
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    scanned = rs.getLong("scanned");
                    changed += rs.getLong("changed");
                    last = rs.getObject("last_id");
                }
                c.commit();
                throttle.observed(scanned, System.nanoTime() - started);
                progress.update(changed, scanned < batch, batch);
                if (scanned < batch) {
                    return changed;
                }
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw new PartialFixException(changed, e);
            }
        }
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
