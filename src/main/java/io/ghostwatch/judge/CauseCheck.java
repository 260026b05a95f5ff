package io.ghostwatch.judge;

import io.ghostwatch.diagnose.Cause;
import io.ghostwatch.snapshot.TargetSchema;

import java.util.ArrayList;
import java.util.List;

/**
 * Causes read from the catalog: one that fails every signup is P0 on its own, ghosts or not; one that leaves
 * only some signups without a profile takes the priority of the ghosts it explains (a note while there are
 * none). The trigger's own state is the trigger check's finding already.
 */
final class CauseCheck implements FindingRule {

    @Override
    public List<Finding> findings(Evidence evidence, Policy policy, TargetSchema schema) {
        List<Finding> findings = new ArrayList<>();
        for (Cause cause : evidence.causes()) {
            Priority priority = switch (cause.effect()) {
                case TRIGGER_NOT_FIRING -> null;
                case FAILS_EVERY_SIGNUP -> Priority.P0;
                case LEAVES_GHOSTS -> policy.ghostPriority(evidence.snapshot().ghosts());
            };
            if (priority == null) {
                continue;
            }
            String suffix = cause.effect() == Cause.Effect.FAILS_EVERY_SIGNUP ? " Every signup fails until it is fixed."
                    : "";
            findings.add(new Finding(FindingCode.ofCause(cause.code()), priority, "Step 3C", cause.summary() + " ("
                    + cause.evidence() + ")" + (cause.heuristic() ? " [heuristic: read from the function's text]"
                    : "") + "." + suffix, List.of(cause.fix())));
        }
        return findings;
    }
}
