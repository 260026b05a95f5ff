package io.ghostwatch.diagnose;

/**
 * One reason signups fail or leave ghosts (runbook Steps 2 and 3C), named with the objects involved.
 *
 * @param code      stable name, one of {@link CauseCode}, e.g. {@code function_swallows_errors}
 * @param effect    what it does to signups, which decides its priority
 * @param heuristic true when it is read from the function's text rather than proven by the catalog
 * @param summary   what is wrong, naming the role, table, function or relation
 * @param evidence  what the catalog shows
 * @param fix       the statement or step that fixes it
 */
public record Cause(String code, Effect effect, boolean heuristic, String summary, String evidence, String fix) {

    public enum Effect {
        /** The trigger does not fire (missing, disabled, replica): the trigger check reports it as P0 already. */
        TRIGGER_NOT_FIRING,
        /** Every signup fails or gets no profile: P0 on its own, ghosts or not. */
        FAILS_EVERY_SIGNUP,
        /**
         * Signups of some kinds fail (a phone signup, a form's blank field, a colliding name) while the rest commit:
         * P1 while the signup counters count rollbacks, P2 until then (a hazard that has not struck).
         */
        FAILS_SOME_SIGNUPS,
        /** Some signups become ghosts, or none until something else changes: the priority of the ghosts it explains. */
        LEAVES_GHOSTS
    }

    static Cause certain(CauseCode code, Effect effect, String summary, String evidence, String fix) {
        return new Cause(code.code(), effect, false, summary, evidence, fix);
    }

    static Cause heuristic(CauseCode code, Effect effect, String summary, String evidence, String fix) {
        return new Cause(code.code(), effect, true, summary, evidence, fix);
    }
}
