package io.ghostwatch.snapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether the last full scan's numbers still hold, from counters alone (pure). Ghosts and orphans change only
 * through inserts, deletes and updates of the two tables; while every signup makes one identity and one
 * profile, both tables' counters move in lockstep. Steady state is for a clean last scan only (no ghost, no
 * unhandled orphan): an incident's numbers and ages change by themselves, so it is always scanned in full.
 */
public final class ScanDecision {

    private ScanDecision() {
    }

    /** Empty when the counters show nothing that could change the numbers; else why a full scan is needed. */
    public static Optional<String> fullScanNeeded(Optional<Baseline> last, TableCounters now, TriggerState trigger,
                                                  Instant databaseTime, Duration interval) {
        if (last.isEmpty()) {
            return Optional.of("no earlier full scan recorded");
        }
        Baseline b = last.get();
        TableCounters then = b.counters();
        if (interval.isZero() || !databaseTime.isBefore(b.fullScanAt().plus(interval))) {
            return Optional.of("the full-scan interval (" + interval + ") has passed");
        }
        if (b.ghosts() > 0 || b.orphans() > 0) {
            return Optional.of("the last full scan found ghosts or orphans");
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
        long identityInserts = now.identityInserts() - then.identityInserts();
        long profileInserts = now.profileInserts() - then.profileInserts();
        long identityDeletes = now.identityDeletes() - then.identityDeletes();
        long profileDeletes = now.profileDeletes() - then.profileDeletes();
        long identityUpdates = now.identityUpdates() - then.identityUpdates();
        long profileUpdates = now.profileUpdates() - then.profileUpdates();
        if (identityInserts < 0 || profileInserts < 0 || identityDeletes < 0 || profileDeletes < 0
                || identityUpdates < 0 || profileUpdates < 0) {
            return Optional.of("a table's counters went backwards (reset)");
        }
        if (identityInserts != profileInserts) {
            return Optional.of(identityInserts + " identity inserts but " + profileInserts + " profile inserts");
        }
        if (identityDeletes != profileDeletes) {
            return Optional.of(identityDeletes + " identity deletes but " + profileDeletes + " profile deletes");
        }
        // An update can turn a soft-deleted orphan back into an unhandled one, or an excluded anonymous
        // identity into a counted ghost; without either kind of row, updates change neither number.
        if (b.softDeletedOrphans() > 0 && profileUpdates > 0) {
            return Optional.of(profileUpdates + " profile updates while soft-deleted orphans exist");
        }
        if (b.anonymousExcluded() > 0 && identityUpdates > 0) {
            return Optional.of(identityUpdates + " identity updates while anonymous identities are excluded");
        }
        if (b.deletedExcluded() > 0 && identityUpdates > 0) { // an undelete turns one back into a ghost
            return Optional.of(identityUpdates + " identity updates while deleted identities are excluded");
        }
        return Optional.empty();
    }
}
