package io.ghostwatch.remediate;

import io.ghostwatch.config.Settings;
import io.ghostwatch.run.CheckOutcome;
import io.ghostwatch.snapshot.Snapshot;
import io.ghostwatch.throttle.Throttle;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** One of the runbook's remediation steps, planned from a snapshot and applied in short transactions. */
interface Fix {

    /** {@code trigger}, {@code backfill} or {@code orphans}: the audit's action. */
    String action();

    /** What it would change, or why it will not. Reads nothing but the check's outcome. */
    Plan plan(Settings settings, CheckOutcome before);

    /**
     * The rows a planned fix would write, read now ({@link Plan#forRows}); empty for a fix that writes no rows.
     * Read before the guards and the dry run's report, so the count they judge is the count it writes.
     */
    default Optional<List<String>> rows(Connection c, Settings settings) throws SQLException {
        return Optional.empty();
    }

    /** How a fix that writes rows writes each batch of them; decided once, when it plans. */
    default BatchWriter writer(Connection c, Settings settings, CheckOutcome before) throws SQLException {
        throw new UnsupportedOperationException(action() + " writes no rows");
    }

    /**
     * Applies it on {@code c} (auto-commit on entry; each batch its own transaction with the remediation
     * timeouts), recording repaired ids under {@code remediationId}; writes only {@link Plan#ids()}
     * (each re-checked); returns the rows changed. A fix that writes rows writes them by its plan's writer.
     */
    default long apply(Connection c, Settings settings, Plan plan, UUID remediationId, Audit audit,
                       Progress progress, Throttle throttle) throws SQLException {
        return IdBatches.run(c, settings, plan.writer().orElseThrow(), plan.ids(), remediationId, progress,
                throttle);
    }

    /** Whether the findings this fix owns are gone. */
    boolean resolved(CheckOutcome after);
}
