package io.ghostwatch.judge;

import io.ghostwatch.diagnose.Cause;
import io.ghostwatch.signups.SignupActivity;
import io.ghostwatch.snapshot.TargetSchema;

import java.util.ArrayList;
import java.util.List;

/**
 * Causes read from the catalog: one that fails every signup is P0 on its own, ghosts or not, unless the signup
 * counters show signups committing since the last check (then P2, saying which evidence disagrees); one that leaves
 * only some signups without a profile takes the priority of the ghosts it explains (a note while there are
 * none). The trigger's own state is the trigger check's finding already.
 */
final class CauseCheck implements FindingRule {

    @Override
    public List<Finding> findings(Evidence evidence, Policy policy, TargetSchema schema) {
        List<Finding> findings = new ArrayList<>();
        // Real evidence over inference: signups that committed since the last check, none rolled back since.
        java.util.Optional<Long> committing = evidence.signups().flatMap(SignupActivity::committingCleanly);
        for (Cause cause : evidence.causes()) {
            boolean disagreed = cause.effect() == Cause.Effect.FAILS_EVERY_SIGNUP && committing.isPresent();
            Priority priority = switch (cause.effect()) {
                case TRIGGER_NOT_FIRING -> null;
                case FAILS_EVERY_SIGNUP -> disagreed ? Priority.P2 : Priority.P0;
                case LEAVES_GHOSTS -> policy.ghostPriority(evidence.snapshot().ghosts());
            };
            if (priority == null) {
                continue;
            }
            String suffix = disagreed ? " The catalog says every signup fails, but " + committing.get()
                    + " signup(s) committed since the last check and none rolled back since: real signups do not"
                    + " take this path as read (another signup role, a branch they skip), so it is not paged;"
                    + " checked again each run."
                    : cause.effect() == Cause.Effect.FAILS_EVERY_SIGNUP ? " Every signup fails until it is fixed."
                    : "";
            findings.add(new Finding(FindingCode.ofCause(cause.code()), priority, "Step 3C", cause.summary() + " ("
                    + cause.evidence() + ")" + (cause.heuristic() ? " [heuristic: read from the function's text]"
                    : "") + "." + suffix, List.of(cause.fix())));
        }
        return findings;
    }
}
