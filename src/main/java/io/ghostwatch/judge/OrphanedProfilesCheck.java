package io.ghostwatch.judge;

import io.ghostwatch.snapshot.Orphans;
import io.ghostwatch.snapshot.Snapshot;
import io.ghostwatch.snapshot.TargetSchema;

import java.util.List;

/** Runbook scenario 4: profiles whose identity was hard-deleted. Soft-deleted ones are handled, not orphaned. */
public final class OrphanedProfilesCheck implements QualityCheck {

    @Override
    public CheckResult evaluate(Snapshot snapshot, Policy policy, TargetSchema schema) {
        Orphans o = snapshot.orphans();
        String handled = o.softDeleted() > 0 ? " (" + o.softDeleted() + " soft-deleted, already handled)" : "";
        if (o.unhandled() == 0) {
            return new CheckResult(new CheckRow("orphaned_profiles_check", true, 0, "warning",
                    "No orphaned profiles" + handled), List.of());
        }
        String message = o.unhandled() + (o.unhandled() == 1 ? " orphaned profile" : " orphaned profiles")
                + " in " + schema.profileTable() + " with no identity in " + schema.identityTable() + handled;
        List<String> actions = schema.softDeleteColumn()
                .map(col -> List.of(
                        "Scenario 4: find out whether these identities were deleted on purpose (admin hard delete).",
                        "If yes, soft-delete the profiles: UPDATE " + schema.profileTable().quoted() + " SET "
                                + col.quoted() + " = now() WHERE " + schema.profileId().quoted()
                                + " IN (<orphaned ids>) AND " + col.quoted() + " IS NULL;",
                        "If not, escalate: identity rows disappeared without a deliberate delete."))
                .orElse(List.of(
                        "Scenario 4: find out whether these identities were deleted on purpose (admin hard delete).",
                        "No soft-delete column is configured (ghostwatch.profile.soft-delete-column=none), so the"
                                + " finding clears only when the profiles are removed or their identities return."));
        Finding finding = new Finding(FindingCode.ORPHANED_PROFILES, Priority.P2, "Scenario 4", message + ".", actions);
        return new CheckResult(new CheckRow("orphaned_profiles_check", false, o.unhandled(), "warning", message),
                List.of(finding));
    }
}
