package io.ghostwatch.judge;

import io.ghostwatch.path.ProfileContract;
import io.ghostwatch.snapshot.TargetSchema;

import java.util.List;

/**
 * The profile contract as the signup path defines it: when the path writes the profile only for some identities
 * but that condition cannot be applied (not written in SQL, or columns the monitor may not read), every identity
 * is counted, and identities left out by design show as ghosts. A note that says what is unknown, never a pass.
 */
final class ContractCheck implements FindingRule {

    @Override
    public List<Finding> findings(Evidence evidence, Policy policy, TargetSchema schema) {
        boolean unread = evidence.contract().map(ProfileContract::unread).orElse(false);
        return evidence.contract().flatMap(ProfileContract::notApplied).map(why -> List.of(new Finding(
                FindingCode.PROFILE_CONDITION_UNKNOWN, Priority.OK, "Step 3C", (unread ? "Which identities the"
                + " signup path gives a profile is unknown: " + why + "; any it leaves out by design count as"
                + " ghosts." : "The signup path does not give every identity a profile, but which ones it leaves"
                + " out cannot be told here: " + why + ". Every identity is counted, so those it leaves out by"
                + " design count as ghosts."),
                List.of("If every identity must have a profile, set ghostwatch.profile.selection=all; otherwise make"
                        + " the condition readable (the grant above) or a column test the path can state.")))).orElse(
                List.of());
    }
}
