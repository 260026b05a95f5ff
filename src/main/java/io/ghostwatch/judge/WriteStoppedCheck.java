package io.ghostwatch.judge;

import io.ghostwatch.path.WriteWatch;
import io.ghostwatch.snapshot.TargetSchema;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A table the signup path writes on INSERT that signups stopped reaching: it grew while watched, and then
 * {@code write-stopped-after} signups wrote no row there. P0 when the path writes it for every identity: each of
 * those users lacks a row they must have, as a ghost lacks its profile; P2 under a condition (it may select none
 * for a while by design).
 */
final class WriteStoppedCheck implements FindingRule {

    @Override
    public List<Finding> findings(Evidence evidence, Policy policy, TargetSchema schema) {
        List<Finding> findings = new ArrayList<>();
        for (WriteWatch w : evidence.writeWatches()) {
            long since = w.signupsSinceWrite().orElse(0L);
            if (since < policy.writeStoppedAfter()) {
                continue;
            }
            boolean always = w.condition().always();
            findings.add(new Finding(FindingCode.PATH_WRITE_STOPPED, always ? Priority.P0 : Priority.P2, "Step 3C",
                    String.format(Locale.ROOT, "%s has had no row written in the last %,d signups (since %s), though"
                            + " the signup path writes it %s: new users lack that row.", w.table(), since,
                            w.grewAt().map(Object::toString).orElse("?"), always ? "for every identity"
                            : "when " + w.condition().text()),
                    List.of("ghostwatch diagnose shows the path: read the function that writes " + w.table()
                                    + " (an IF that no longer holds, an exception handler swallowing its error,"
                                    + " a trigger on it that skips rows)",
                            "If it stopped by design, the finding clears with the next row written;"
                                    + " ghostwatch.policy.write-stopped-after sets how many signups it waits")));
        }
        return findings;
    }
}
