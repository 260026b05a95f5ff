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
 * none); one that fails signups of some kinds is P1 while the counters count rollbacks, P2 before. The trigger's
 * own state is the trigger check's finding already.
 */
final class CauseCheck implements FindingRule {

    @Override
    public List<Finding> findings(Evidence evidence, Policy policy, TargetSchema schema) {
        List<Finding> findings = new ArrayList<>();
        // Real evidence over inference: signups that committed since the last check, none rolled back since.
        java.util.Optional<Long> committing = evidence.signups().flatMap(SignupActivity::committingCleanly);
        boolean rollingBack = evidence.signups().map(SignupActivity::rollingBack).orElse(false);
        for (Cause cause : evidence.causes()) {
            boolean disagreed = cause.effect() == Cause.Effect.FAILS_EVERY_SIGNUP && committing.isPresent();
            Priority priority = switch (cause.effect()) {
                case TRIGGER_NOT_FIRING -> null;
                case FAILS_EVERY_SIGNUP -> disagreed ? Priority.P2 : Priority.P0;
                case FAILS_SOME_SIGNUPS -> rollingBack ? Priority.P1 : Priority.P2;
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
                    : cause.effect() != Cause.Effect.FAILS_SOME_SIGNUPS ? ""
                    : rollingBack ? " Signups roll back now (" + evidence.signups().get().counts() + "): a candidate"
                    + " cause of those rollbacks."
                    : " No signup was counted rolling back since the last check: it fails the signups named when"
                    + " they come.";
            findings.add(new Finding(FindingCode.ofCause(cause.code()), priority, "Step 3C", cause.summary() + " ("
                    + cause.evidence() + ")" + (cause.heuristic() ? " [heuristic: read from the function's text]"
                    : "") + "." + suffix, List.of(cause.fix())));
        }
        return findings;
    }
}
