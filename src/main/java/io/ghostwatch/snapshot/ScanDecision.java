package io.ghostwatch.snapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether the last full scan's numbers still hold (pure). Ghosts and orphans change only through inserts,
 * deletes and updates of the two tables. The rows the scan left unmatched are kept and read again wherever their
 * table's counters moved ({@link Recheck}), so whatever happens to them is seen exactly, updates included (a
 * table whose counters did not move cannot have changed them); every other row was a matched
 * pair, and while each signup makes one identity and one profile (and each delete removes both), both tables'
 * counters move in lockstep outside the kept rows. Any doubt about the counters themselves means a full scan.
 */
public final class ScanDecision {

    private ScanDecision() {
    }

    /**
     * What rules out a steady check before any row is read again: empty when the kept rows may be read again and
     * the lockstep judged ({@link #unbalanced}); else why a full scan is needed.
     */
    public static Optional<String> fullScanNeeded(Optional<Baseline> last, TableCounters now, TriggerState trigger,
                                                  String shape, Instant databaseTime, Duration interval) {
        if (last.isEmpty()) {
            return Optional.of("no earlier full scan recorded");
        }
        Baseline b = last.get();
        TableCounters then = b.counters();
        if (interval.isZero() || !databaseTime.isBefore(b.fullScanAt().plus(interval))) {
            return Optional.of("the full-scan interval (" + interval + ") has passed");
        }
        if (b.unmatchedRows() > 0 && b.unmatched().isEmpty()) {
            return Optional.of("the last full scan found " + b.unmatchedRows() + " unmatched rows (ghosts, orphans"
                    + " and excluded ones) and kept no ids: more than ghostwatch.steady-state-max-unmatched, or"
                    + " recorded by a version that kept none");
        }
        if (b.shape().isEmpty()) {
            return Optional.of("the last full scan did not record which tables and columns it read (an earlier"
                    + " version recorded it)");
        }
        if (!shape.equals(b.shape())) {
            return Optional.of("the configured tables or columns are not those the last full scan read");
        }
        if (!trigger.fingerprint().equals(b.trigger())) {
            return Optional.of("the trigger's state changed");
        }
        if (!now.serverStart().equals(then.serverStart())) {
            return Optional.of("the server restarted or is another server (failover): its counters start over");
        }
        if (!now.statsReset().equals(then.statsReset())) {
            return Optional.of("the database's statistics were reset");
        }
        if (now.rewrittenSince(then)) {
            return Optional.of("a table was truncated or rewritten (TRUNCATE, VACUUM FULL, CLUSTER): the rows a"
                    + " TRUNCATE drops are counted as no delete");
        }
        if (now.identityInserts() < then.identityInserts() || now.profileInserts() < then.profileInserts()
                || now.identityDeletes() < then.identityDeletes() || now.profileDeletes() < then.profileDeletes()
                || now.identityUpdates() < then.identityUpdates() || now.profileUpdates() < then.profileUpdates()) {
            return Optional.of("a table's counters went backwards (reset)");
        }
        return Optional.empty();
    }

    /**
     * Whether the rows outside the kept ones moved out of lockstep: the counters' inserts and deletes, less what
     * the kept rows' own changes account for. Updates need no rule: an update can turn only an unmatched row into
     * another kind (a soft-deleted orphan back into an unhandled one, an excluded identity into a ghost), and every
     * unmatched row is among the kept ones, read again whenever its table's counters moved. (An update of a matched
     * row's primary key is the exception, left to the next full scan.)
     */
    public static Optional<String> unbalanced(Baseline b, TableCounters now, Recheck kept) {
        TableCounters then = b.counters();
        long identityInserts = now.identityInserts() - then.identityInserts() - kept.identityInserts();
        long profileInserts = now.profileInserts() - then.profileInserts() - kept.profileInserts();
        long identityDeletes = now.identityDeletes() - then.identityDeletes() - kept.identityDeletes();
        long profileDeletes = now.profileDeletes() - then.profileDeletes() - kept.profileDeletes();
        String besides = b.unmatchedRows() == 0 ? "" : " besides the " + b.unmatchedRows() + " unmatched rows the"
                + " last full scan kept";
        if (identityInserts != profileInserts) {
            return Optional.of(identityInserts + " identity inserts but " + profileInserts + " profile inserts"
                    + besides);
        }
        if (identityDeletes != profileDeletes) {
            return Optional.of(identityDeletes + " identity deletes but " + profileDeletes + " profile deletes"
                    + besides);
        }
        return Optional.empty();
    }
}
