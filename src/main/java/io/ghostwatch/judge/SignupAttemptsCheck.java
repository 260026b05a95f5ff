package io.ghostwatch.judge;

import io.ghostwatch.canary.CanaryResult;
import io.ghostwatch.diagnose.Cause;
import io.ghostwatch.signups.SignupActivity;
import io.ghostwatch.snapshot.TargetSchema;

import java.util.List;
import java.util.Optional;

/**
 * Signups that roll back, counted by the database itself: every attempt since the last commit rolled back,
 * at least the policy's number of them, is P0 whatever the cause (and stands until a signup commits again);
 * some rolled back beside commits is P1. An interval that could not be counted is a note saying why, never
 * a pass.
 */
final class SignupAttemptsCheck implements FindingRule {

    private static final String UNKNOWN_CAUSE = "cause unknown: the database does not say why (the auth server"
            + " also rolls a signup back for reasons of its own, e.g. a confirmation e-mail it cannot send:"
            + " still failing signups, see its logs)";

    @Override
    public List<Finding> findings(Evidence evidence, Policy policy, TargetSchema schema) {
        if (evidence.signups().isEmpty()) {
            return List.of();
        }
        SignupActivity a = evidence.signups().get();
        if (a.failing()) {
            return List.of(new Finding(FindingCode.SIGNUPS_FAILING, Priority.P0, "Step 3C", "Signups are failing: "
                    + a.rolledBackSinceCommit() + " attempts rolled back and none committed " + sinceLastCommit(a)
                    + (a.counted() ? " (" + a.counts() + ")" : " (" + a.unknown().get() + ")") + "; "
                    + causes(evidence) + kinds(evidence) + ".",
                    List.of("Runbook Step 3C: run ghostwatch diagnose and read the auth server's log for"
                                    + " 'Database error saving new user'; fix " + schema.triggerFunction()
                                    + " or the cause named here.",
                            "No ghosts appear while signups fail: the users never got an account.")));
        }
        if (!a.counted() && a.since().isEmpty()) {
            return List.of(); // the first check: nothing before it to count from (the report's Signups line says so)
        }
        if (!a.counted()) {
            return List.of(new Finding(FindingCode.SIGNUPS_NOT_COUNTED, Priority.OK, "Step 5", "Signup attempts since "
                    + a.since().map(Object::toString).orElse("the last check") + " could not be counted as"
                    + " committed or rolled back: " + a.unknown().get() + ".", List.of()));
        }
        if (a.rolledBack() > 0) {
            return List.of(new Finding(FindingCode.SIGNUPS_ROLLED_BACK, Priority.P1, "Step 3C", "Some signups roll back: "
                    + a.counts() + " (" + share(a) + "); " + causes(evidence) + kinds(evidence) + ".",
                    List.of("Runbook Step 3C: which signups fail (a provider, metadata, a constraint)? Run"
                            + " ghostwatch diagnose and read the auth server's log for 'Database error saving"
                            + " new user'.")));
        }
        return List.of();
    }

    private static String sinceLastCommit(SignupActivity a) {
        return a.lastCommitSeenAt().map(t -> "since the check at " + t + " saw the last committed signup")
                .orElse("since counting began at " + a.countingSince());
    }

    /** Which kinds of signup still commit, when they were read. */
    private static String kinds(Evidence evidence) {
        return evidence.kinds().map(k -> "; " + k.describe()).orElse("");
    }

    /** The share of this interval's attempts that rolled back, e.g. {@code 3 of 23 attempts failing, 13%}. */
    static String share(SignupActivity a) {
        long percent = a.attempted() == 0 ? 0 : Math.round(100.0 * a.rolledBack() / a.attempted());
        return (a.committedExact() ? "" : "at least ") + a.rolledBack() + " of " + a.attempted()
                + " attempts failing, " + percent + "%";
    }

    /** The causes that fail every signup or some kinds of it, by code, or that none was found. */
    private static String causes(Evidence evidence) {
        List<String> codes = evidence.causes().stream().filter(c -> c.effect() == Cause.Effect.FAILS_EVERY_SIGNUP
                || c.effect() == Cause.Effect.FAILS_SOME_SIGNUPS).map(Cause::code).distinct().toList();
        Optional<String> canary = evidence.canary().filter(c -> c.outcome() == CanaryResult.Outcome.INSERT_FAILED)
                .map(c -> "the canary's insert failed");
        if (codes.isEmpty()) {
            return canary.map(c -> c + "; no cause in the catalog").orElse(UNKNOWN_CAUSE);
        }
        return "causes found: " + String.join(", ", codes) + " (below)";
    }
}
