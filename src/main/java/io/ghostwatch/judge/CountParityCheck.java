package io.ghostwatch.judge;

import io.ghostwatch.snapshot.Snapshot;
import io.ghostwatch.snapshot.TargetSchema;

import java.text.NumberFormat;
import java.util.List;
import java.util.Locale;

/**
 * The runbook's count_parity_check: identities minus profiles. The ghost and orphan checks own the priority;
 * this one explains the difference, and flags it when ghosts and orphans do not account for it (duplicate ids
 * in a profile table without a primary key, for instance).
 */
public final class CountParityCheck implements QualityCheck {

    @Override
    public CheckResult evaluate(Snapshot snapshot, Policy policy, TargetSchema schema) {
        NumberFormat n = NumberFormat.getIntegerInstance(Locale.ROOT);
        n.setGroupingUsed(true);
        long delta = snapshot.parityDelta();
        if (delta == 0) {
            return new CheckResult(new CheckRow("count_parity_check", true, 0, "critical",
                    "User counts match: " + n.format(snapshot.identities())), List.of());
        }
        long explained = snapshot.ghosts().total() + snapshot.ghosts().anonymousExcluded()
                + snapshot.ghosts().deletedExcluded() - snapshot.orphans().total();
        String message = "identities " + n.format(snapshot.identities()) + " vs profiles "
                + n.format(snapshot.profiles()) + ": delta " + (delta > 0 ? "+" : "") + n.format(delta);
        if (explained == delta) {
            message += " (" + snapshot.ghosts().total() + " ghosts, " + snapshot.orphans().total()
                    + " profiles without identity"
                    + (snapshot.ghosts().anonymousExcluded() > 0
                            ? ", " + snapshot.ghosts().anonymousExcluded() + (schema.selection().isPresent()
                            ? " identities left out by design (the signup path: " + schema.selection().get().text()
                            + ")" : " anonymous identities") : "")
                    + (snapshot.ghosts().deletedExcluded() > 0
                            ? ", " + snapshot.ghosts().deletedExcluded() + " deleted identities" : "")
                    + ")";
            return new CheckResult(new CheckRow("count_parity_check", false, Math.abs(delta), "critical", message),
                    List.of());
        }
        Finding note = new Finding(FindingCode.COUNT_PARITY_UNEXPLAINED, Priority.OK, "Step 5",
                message + ", of which ghosts and orphans explain only " + explained
                        + "; ids may be duplicated in one of the tables.",
                List.of("Check that " + schema.profileTable() + "(" + schema.profileId() + ") and "
                        + schema.identityTable() + "(" + schema.identityId() + ") are unique."));
        return new CheckResult(new CheckRow("count_parity_check", false, Math.abs(delta), "critical",
                message + " (unexplained)"), List.of(note));
    }
}
