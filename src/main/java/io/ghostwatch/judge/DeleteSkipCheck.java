package io.ghostwatch.judge;

import io.ghostwatch.path.DeleteSkip;
import io.ghostwatch.path.ProfileContract;
import io.ghostwatch.path.SignupPath;
import io.ghostwatch.snapshot.TargetSchema;

import java.util.List;
import java.util.Locale;

/**
 * Deletes of identities that the identity table skips without an error (a BEFORE DELETE trigger returning NULL,
 * a DO INSTEAD rule). A user who was deleted keeps their login, and a ghost may be such a user rather than a
 * failed signup: a backfill would give them their profile back. P2 when it skips every delete or ghosts stand
 * (the ghosts' own findings keep their priority); a note otherwise.
 */
final class DeleteSkipCheck implements FindingRule {

    @Override
    public List<Finding> findings(Evidence evidence, Policy policy, TargetSchema schema) {
        List<DeleteSkip> skips = evidence.contract().flatMap(ProfileContract::path).map(SignupPath::deleteSkips)
                .orElse(List.of());
        if (skips.isEmpty()) {
            return List.of();
        }
        long ghosts = evidence.snapshot().ghosts().total();
        boolean everyDelete = skips.stream().anyMatch(s -> s.when().always());
        Priority priority = everyDelete || ghosts > 0 ? Priority.P2 : Priority.OK;
        String what = String.join("; ", skips.stream().map(DeleteSkip::describe).toList());
        String summary = "A delete of an identity in " + schema.identityTable() + " can do nothing, without an"
                + " error (" + what + "): a user whose account is deleted keeps their login, and one whose profile"
                + " was deleted with it counts as a ghost" + (ghosts > 0 ? String.format(Locale.ROOT,
                "; any of the %,d ghosts may be such a user, not a failed signup", ghosts) : "") + ".";
        return List.of(new Finding(FindingCode.DELETES_SKIPPED, priority, "Step 4", summary, List.of(
                "Let the deletes it should allow through: the trigger's function RETURNs OLD for them (RAISE refuses"
                        + " one loudly), or drop the rule.",
                "Review the ghosts before any backfill (ghostwatch export affected): ghostwatch fix backfill refuses"
                        + " while deletes can be skipped, unless --deletes-skipped-ok says they were reviewed.")));
    }
}
