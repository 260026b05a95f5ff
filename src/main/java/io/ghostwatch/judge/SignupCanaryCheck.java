package io.ghostwatch.judge;

import io.ghostwatch.snapshot.TargetSchema;

import java.util.List;

/**
 * The synthetic signup's outcome: no profile or a failed insert is P0 whatever the counts say (a failing
 * signup leaves no ghost); a canary that could not run is a note that says what is unknown.
 */
final class SignupCanaryCheck implements FindingRule {

    @Override
    public List<Finding> findings(Evidence evidence, Policy policy, TargetSchema schema) {
        return evidence.canary().map(canary -> switch (canary.outcome()) {
            case NO_PROFILE -> List.of(new Finding("canary_no_profile", Priority.P0, "Step 3C",
                    "Signup canary: " + canary.detail() + ": signups are producing ghosts right now.",
                    List.of("Runbook Step 3C: the trigger runs but does not insert (a WHEN clause, a persisted"
                            + " replica role, or a function that swallows its errors); see the causes below and"
                            + " inspect " + schema.triggerFunction() + ".")));
            case INSERT_FAILED -> List.of(new Finding("canary_insert_failed", Priority.P0, "Step 3C",
                    "Signup canary: inserting an identity failed (" + canary.detail()
                            + "): signups are failing right now.",
                    List.of("Runbook Step 3C: the error above says where: the signup's own insert (read-only"
                            + " mode, privileges) or the trigger's function " + schema.triggerFunction()
                            + "; the causes below name what the catalog shows. No ghosts appear while signups"
                            + " fail.")));
            case NOT_RUN -> List.of(new Finding("canary_not_run", Priority.OK, "Step 5",
                    "Signup canary could not run, so whether signups work is unknown: " + canary.detail() + ".",
                    List.of()));
            case PROFILE_CREATED -> List.<Finding>of();
        }).orElse(List.of());
    }
}
