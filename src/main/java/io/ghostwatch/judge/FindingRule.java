package io.ghostwatch.judge;

import io.ghostwatch.snapshot.TargetSchema;

import java.util.List;

/** Findings from evidence beyond the runbook's four checks (the canary, the causes): no row in the table. */
interface FindingRule {

    List<Finding> findings(Evidence evidence, Policy policy, TargetSchema schema);
}
