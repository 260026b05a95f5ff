package io.ghostwatch.canary;

/**
 * What the synthetic signup saw.
 *
 * @param identityInserts identity rows the canary's insert wrote before its transaction rolled back (0 or 1,
 *                        as the server counted them): the next check takes them out of the signup attempts
 */
public record CanaryResult(Outcome outcome, String detail, long identityInserts) {

    public CanaryResult(Outcome outcome, String detail) {
        this(outcome, detail, 0);
    }

    public enum Outcome {
        /** The trigger fired: the synthetic identity got its profile. */
        PROFILE_CREATED,
        /** The identity was inserted but no profile appeared: signups are producing ghosts right now. */
        NO_PROFILE,
        /** The identity insert failed: signups are failing right now (Supabase: "Database error saving new user"). */
        INSERT_FAILED,
        /** The canary could not run (the monitoring role may not insert identities); says nothing of signups. */
        NOT_RUN
    }

    public boolean ran() {
        return outcome != Outcome.NOT_RUN;
    }
}
