package io.ghostwatch.judge;

import io.ghostwatch.path.TakenSince;
import io.ghostwatch.snapshot.TargetSchema;

import java.util.List;
import java.util.Locale;

/**
 * Ghosts an earlier check saw left out by design: an update took them (a guest converted, a user confirmed) and no
 * profile was made for them. Named as such beside the ghosts' own findings, which keep their priority: a note that
 * says which ghosts these are and what the path lacks, so the fix is the path's, not only a backfill.
 */
final class TakenSinceCheck implements FindingRule {

    @Override
    public List<Finding> findings(Evidence evidence, Policy policy, TargetSchema schema) {
        TakenSince t = evidence.takenSince().orElse(null);
        if (t == null || t.count() == 0) {
            return List.of();
        }
        boolean guests = schema.anonymousColumn().isPresent() || schema.selection()
                .map(s -> s.text().toLowerCase(Locale.ROOT).contains("anonymous")).orElse(false);
        String who = guests ? "converted guests: left out by design as anonymous at an earlier check, permanent users"
                + " now" : "left out by design at an earlier check (" + schema.selection().map(
                TargetSchema.Selection::text).orElse("anonymous") + " did not hold), taken by the contract now";
        return List.of(new Finding(FindingCode.GHOSTS_CONVERTED, Priority.OK, "Step 3C", String.format(Locale.ROOT,
                "%,d of the %,d ghosts are %s: the update that changed them made no profile (e.g. %s).", t.count(),
                evidence.snapshot().ghosts().total(), who, String.join(", ", t.sample())),
                List.of(guests ? "A conversion is an UPDATE of the identity, so no INSERT trigger runs: make the"
                                + " profile on conversion too (an AFTER UPDATE trigger WHEN (OLD.is_anonymous AND NOT"
                                + " NEW.is_anonymous) executing the sync function), then backfill (Step 4)"
                                : "Make the profile where the identity becomes one the contract takes (an AFTER UPDATE"
                                + " trigger on that change), then backfill (Step 4)")));
    }
}
