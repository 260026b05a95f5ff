package io.ghostwatch.canary;

/** What the synthetic signup saw. */
public record CanaryResult(Outcome outcome, String detail) {

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
