package io.ghostwatch.judge;

import io.ghostwatch.snapshot.Snapshot;
import io.ghostwatch.snapshot.TargetSchema;

/** One of the runbook's quality checks: pure, judged from a snapshot without touching the database. */
public interface QualityCheck {

    CheckResult evaluate(Snapshot snapshot, Policy policy, TargetSchema schema);
}
