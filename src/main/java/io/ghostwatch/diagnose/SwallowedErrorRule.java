package io.ghostwatch.diagnose;

import java.util.List;

/**
 * An exception handler that does not re-raise turns a failed profile insert into a ghost that nothing logs
 * as an error. {@code RAISE WARNING} (or LOG, NOTICE, INFO, DEBUG) reports and carries on: it swallows too.
 * Only a handler whose block writes (or whose function writes nowhere else) can lose the profile.
 */
final class SwallowedErrorRule implements CauseRule {

    @Override
    public void find(CauseContext ctx, List<Cause> causes) {
        ctx.plpgsql().ifPresent(f -> {
            for (PlpgsqlText.Handler h : PlpgsqlText.of(f.body()).handlers()) {
                if (h.reraises() || !h.guardsWrite()) {
                    continue; // a handler around, say, a webhook call alone cannot lose the profile write
                }
                String handled = h.raises().isEmpty() ? "no RAISE" : String.join(", ", h.raises());
                causes.add(Cause.heuristic(CauseCode.FUNCTION_SWALLOWS_ERRORS, Cause.Effect.LEAVES_GHOSTS, f.name()
                                + " catches its own errors (EXCEPTION WHEN " + h.conditions() + ") with " + handled
                                + " and carries on: a failed profile insert leaves a ghost",
                        "EXCEPTION WHEN " + h.conditions() + " THEN … " + handled,
                        "re-raise in the handler (RAISE;) or remove it, so a failing profile insert fails the"
                                + " signup visibly"));
            }
        });
    }
}
