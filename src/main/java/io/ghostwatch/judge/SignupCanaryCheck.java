package io.ghostwatch.judge;

import io.ghostwatch.signups.SignupActivity;
import io.ghostwatch.snapshot.TargetSchema;
import io.ghostwatch.snapshot.TriggerState;

import java.util.List;

/**
 * The synthetic signup's outcome: no profile or a failed insert is P0 whatever the counts say (a failing
 * signup leaves no ghost); a canary that could not run is a note that says what is unknown.
 */
final class SignupCanaryCheck implements FindingRule {

    @Override
    public List<Finding> findings(Evidence evidence, Policy policy, TargetSchema schema) {
        return evidence.canary().map(canary -> switch (canary.outcome()) {
            case NO_PROFILE -> List.of(noProfile(evidence.snapshot().trigger(), canary.detail(), schema));
            case INSERT_FAILED -> evidence.signups().flatMap(SignupActivity::committingCleanly)
                    .map(n -> List.of(rejected(canary.detail(), n)))
                    .orElseGet(() -> List.of(new Finding(FindingCode.CANARY_INSERT_FAILED, Priority.P0, "Step 3C",
                    "Signup canary: inserting an identity failed (" + canary.detail()
                            + "): signups are failing right now.",
                    List.of("Runbook Step 3C: the error above says where: the signup's own insert (read-only"
                            + " mode, privileges) or the trigger's function " + schema.triggerFunction()
                            + "; the causes below name what the catalog shows. No ghosts appear while signups"
                            + " fail."))));
            case NOT_RUN -> List.of(new Finding(FindingCode.CANARY_NOT_RUN, Priority.OK, "Step 5",
                    "Signup canary could not run, so whether signups work is unknown: " + canary.detail() + ".",
                    List.of()));
            case PROFILE_CREATED -> List.<Finding>of();
        }).orElse(List.of());
    }

    /** The canary rejected (a domain allowlist, a check on its values) while real signups commit: said, not paged. */
    private static Finding rejected(String detail, long committed) {
        return new Finding(FindingCode.CANARY_INSERT_FAILED, Priority.P2, "Step 5", "Signup canary: its signup was"
                + " rejected (" + detail + "), but " + committed + " real signup(s) committed since the last check and"
                + " none rolled back since: signups work; the canary's own values do not pass the function that"
                + " raised.", List.of("Give the canary values a real signup has (README: Signup canary), e.g."
                + " GHOSTWATCH_CANARY_VALUES='email=canary@<an allowed domain>', or turn the canary off where a"
                + " function rejects every synthetic signup by design"));
    }

    /** Why the canary got no profile: a trigger that does not fire says so itself (Step 3A/3B), else Step 3C. */
    private static Finding noProfile(TriggerState trigger, String detail, TargetSchema schema) {
        String summary = "Signup canary: " + detail + ": signups are producing ghosts right now.";
        if (!trigger.present()) {
            return new Finding(FindingCode.CANARY_NO_PROFILE, Priority.P0, "Step 3B", summary, List.of("Runbook Step 3B: the"
                    + " sync trigger " + schema.triggerName() + " does not exist on " + schema.identityTable()
                    + "; re-run its migration (ghostwatch fix trigger --from-file <migration>)."));
        }
        if (!trigger.fires()) {
            return new Finding(FindingCode.CANARY_NO_PROFILE, Priority.P0, "Step 3A", summary, List.of("Runbook Step 3A: the"
                    + " sync trigger does not fire (tgenabled = " + trigger.tgenabled().orElse("?") + ", or a"
                    + " persisted replica role): restore it with ghostwatch fix trigger."));
        }
        return new Finding(FindingCode.CANARY_NO_PROFILE, Priority.P0, "Step 3C", summary, List.of("Runbook Step 3C: the"
                + " trigger fires but writes no profile (a WHEN clause, or a function that skips the row or swallows"
                + " its errors); see the causes below and inspect " + schema.triggerFunction() + "."));
    }
}
