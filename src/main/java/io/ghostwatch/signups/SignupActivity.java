package io.ghostwatch.signups;

import java.time.Instant;
import java.util.Optional;

/**
 * Signups since the previous check, from the identity table's statistics alone (pure). Attempts are the rise
 * of {@code n_tup_ins} less the canary's own inserts; commits are proven by the rise of {@code n_live_tup}
 * (committed inserts minus committed deletes) while no VACUUM or ANALYZE re-estimated it; deletes in the
 * interval make the committed count a range, and only the rollbacks that range proves are counted.
 *
 * @param since                 the previous check's database time (empty on the first check)
 * @param attempted             identity inserts, committed or rolled back, the canary's excluded
 * @param committed             signups proven committed (at least this many)
 * @param committedExact        false when deletes in the interval leave the committed count a range
 * @param rolledBack            attempts proven rolled back
 * @param canaryExcluded        the previous check's canary inserts, taken out of {@code attempted}
 * @param rolledBackSinceCommit rolled-back attempts since the last proven commit (or since counting began)
 * @param lastCommitSeenAt      the check that last proved a commit
 * @param countingSince         when counting began (first check, or after the statistics started over)
 * @param failing               every attempt since the last commit rolled back, at least the policy's number
 *                              of them: stands until a commit is proven
 * @param unknown               why this interval's attempts could not be split into commits and rollbacks
 */
public record SignupActivity(Instant checkedAt, SignupCounters counters, Optional<Instant> since, long attempted,
                             long committed, boolean committedExact, long rolledBack, long canaryExcluded,
                             long rolledBackSinceCommit, Optional<Instant> lastCommitSeenAt, Instant countingSince,
                             boolean failing, Optional<String> unknown) {

    /**
     * @param previous      the last check's ledger, if history has one
     * @param now           this check's counters
     * @param checkedAt     this check's database time
     * @param failingAfter  the policy's {@code failed-signups-p0}: rollbacks (none committed) that make it P0
     */
    public static SignupActivity between(Optional<SignupLedger> previous, SignupCounters now, Instant checkedAt,
                                         int failingAfter) {
        if (previous.isEmpty()) {
            return unknown(now, checkedAt, Optional.empty(), 0, 0, checkedAt, Optional.empty(), 0, false,
                    "first check with history: counting starts now");
        }
        SignupLedger p = previous.get();
        SignupCounters then = p.counters();
        if (!now.serverStart().equals(then.serverStart())) {
            return unknown(now, checkedAt, Optional.of(p.checkedAt()), 0, 0, checkedAt, p.lastCommitSeenAt(),
                    p.rolledBackSinceCommit(), p.failing(), "the server restarted or is another server (failover)"
                            + " since the last check: its statistics start over, counting starts again");
        }
        if (!now.statsReset().equals(then.statsReset())) {
            return unknown(now, checkedAt, Optional.of(p.checkedAt()), 0, 0, checkedAt, p.lastCommitSeenAt(),
                    p.rolledBackSinceCommit(), p.failing(), "the database's statistics were reset (pg_stat_reset)"
                            + " since the last check: counting starts again");
        }
        long inserts = now.inserts() - then.inserts();
        long deletes = now.deletes() - then.deletes();
        if (inserts < 0 || deletes < 0) {
            return unknown(now, checkedAt, Optional.of(p.checkedAt()), 0, 0, checkedAt, p.lastCommitSeenAt(),
                    p.rolledBackSinceCommit(), p.failing(), "the identity table's statistics went backwards (reset"
                            + " for the table): counting starts again");
        }
        long canary = Math.min(inserts, p.canaryInserts());
        long attempted = inserts - canary;
        if (now.maintenance() != then.maintenance()) {
            return unknown(now, checkedAt, Optional.of(p.checkedAt()), attempted, canary, p.countingSince(),
                    p.lastCommitSeenAt(), p.rolledBackSinceCommit(), p.failing(), "VACUUM or ANALYZE re-estimated"
                            + " the identity table's live rows since the last check, so its " + attempted
                            + " attempts cannot be split into commits and rollbacks");
        }
        if (now.filenode() != then.filenode()) {
            return unknown(now, checkedAt, Optional.of(p.checkedAt()), attempted, canary, p.countingSince(),
                    p.lastCommitSeenAt(), p.rolledBackSinceCommit(), p.failing(), "the identity table was truncated"
                            + " or rewritten since the last check (a new relfilenode), so its " + attempted
                            + " attempts cannot be split into commits and rollbacks");
        }
        long live = now.live() - then.live();
        if (live + deletes < 0) {
            // Only committed deletes lower the live count: a bigger fall was not made by rows (a TRUNCATE).
            return unknown(now, checkedAt, Optional.of(p.checkedAt()), attempted, canary, p.countingSince(),
                    p.lastCommitSeenAt(), p.rolledBackSinceCommit(), p.failing(), "the identity table's live rows"
                            + " fell by " + -live + " with only " + deletes + " deletes, so its " + attempted
                            + " attempts cannot be split into commits and rollbacks");
        }
        long committedMin = clamp(live, attempted);
        long committedMax = clamp(live + deletes, attempted);
        long rolledBack = attempted - committedMax;
        Optional<Instant> lastCommit = committedMin > 0 ? Optional.of(checkedAt) : p.lastCommitSeenAt();
        // Rollbacks may follow the interval's commit: they start the new count rather than join the old one.
        long sinceCommit = committedMin > 0 ? rolledBack : p.rolledBackSinceCommit() + rolledBack;
        boolean failing = committedMax == 0 && sinceCommit >= Math.max(1, failingAfter);
        return new SignupActivity(checkedAt, now, Optional.of(p.checkedAt()), attempted, committedMin,
                committedMin == committedMax, rolledBack, canary, sinceCommit, lastCommit, p.countingSince(),
                failing, Optional.empty());
    }

    private static SignupActivity unknown(SignupCounters now, Instant checkedAt, Optional<Instant> since,
                                          long attempted, long canary, Instant countingSince,
                                          Optional<Instant> lastCommit, long sinceCommit, boolean failing,
                                          String why) {
        return new SignupActivity(checkedAt, now, since, attempted, 0, false, 0, canary, sinceCommit, lastCommit,
                countingSince, failing, Optional.of(why));
    }

    private static long clamp(long v, long max) {
        return Math.max(0, Math.min(v, max));
    }

    /** What this check leaves for the next: its counters and the canary inserts it made after reading them. */
    public SignupLedger ledger(long canaryInserts) {
        return new SignupLedger(checkedAt, counters, canaryInserts, countingSince, lastCommitSeenAt,
                rolledBackSinceCommit, failing);
    }

    /** {@code attempted N, committed M, rolled back K since T}, for findings and reports alike. */
    public String counts() {
        String bound = committedExact ? "" : "at least ";
        return "attempted " + attempted + ", committed " + bound + committed + ", rolled back " + bound + rolledBack
                + " since " + since.map(Object::toString).orElse("?")
                + (canaryExcluded > 0 ? ", the canary's " + canaryExcluded + " excluded" : "");
    }

    /**
     * Signups committed since the last check with none rolled back since the last commit: real evidence that
     * signups work, which a catalog reading or a canary's failure alone does not outweigh. Empty otherwise.
     */
    public Optional<Long> committingCleanly() {
        return committed > 0 && rolledBackSinceCommit == 0 && !failing ? Optional.of(committed) : Optional.empty();
    }

    /** Rollbacks counted in this interval, or standing since the last commit. */
    public boolean rollingBack() {
        return rolledBack > 0 || rolledBackSinceCommit > 0 || failing;
    }

    /** Whether this interval's attempts were split into commits and rollbacks. */
    public boolean counted() {
        return unknown.isEmpty();
    }
}
