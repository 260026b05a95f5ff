package io.ghostwatch.remediate;

import io.ghostwatch.config.Settings;
import io.ghostwatch.snapshot.Snapshot;
import io.ghostwatch.throttle.Throttle;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

/** One of the runbook's remediation steps, planned from a snapshot and applied in short transactions. */
interface Fix {

    /** {@code trigger}, {@code backfill} or {@code orphans}: the audit's action. */
    String action();

    /** What it would change, or why it will not. Reads nothing but the snapshot. */
    Plan plan(Settings settings, Snapshot before);

    /**
     * Applies it on {@code c} (auto-commit on entry; each batch its own transaction with the remediation
     * timeouts), recording repaired ids under {@code remediationId}; returns the rows changed.
     */
    long apply(Connection c, Settings settings, Plan plan, UUID remediationId, Audit audit, Progress progress,
               Throttle throttle)
            throws SQLException;

    /** Whether the findings this fix owns are gone. */
    boolean resolved(Snapshot after);
}
