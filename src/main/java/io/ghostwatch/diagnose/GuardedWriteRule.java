package io.ghostwatch.diagnose;

import java.util.List;

/**
 * A profile write inside an IF that tests the new identity (its provider, its metadata): identities that do
 * not pass get no profile, so only some signups become ghosts (OAuth signups, for instance). Takes the
 * priority of the ghosts it explains, and is a note while there are none.
 */
final class GuardedWriteRule implements CauseRule {

    @Override
    public void find(CauseContext ctx, List<Cause> causes) {
        if (ctx.schema().selection().isPresent()) {
            return; // the path translated the condition: identities it leaves out are not ghosts
        }
        ctx.plpgsql().ifPresent(f -> {
            for (PlpgsqlText.GuardedWrite g : PlpgsqlText.of(f.body()).guardedWrites()) {
                causes.add(Cause.heuristic(CauseCode.PROFILE_WRITE_CONDITIONAL, Cause.Effect.LEAVES_GHOSTS, f.name()
                                + " writes the profile only IF " + g.condition() + " (string literals shown as 's'):"
                                + " identities that do not meet it, e.g. another sign-in provider, become ghosts",
                        "IF " + g.condition() + " THEN INSERT … with no ELSE that writes",
                        "write the profile for every identity (move the INSERT out of the IF, or add an ELSE"
                                + " branch that writes it), then backfill (Step 4)"));
            }
        });
    }
}
