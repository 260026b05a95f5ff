package io.ghostwatch.snapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Everything one run read from the database, in one read-only transaction. Probes that run after it (the
 * signup canary, the causes) sit beside it in the run's outcome, not in it.
 *
 * @param databaseTime the database's {@code now()}: ages are measured against it, not the monitor's clock
 * @param identities   rows in the identity table
 * @param profiles     rows in the profile table, soft-deleted ones included
 * @param elapsed      how long the database work took
 * @param inserts      the tables' cumulative insert counters, for signup rates
 * @param window       when the ghosts were created (Step 6's incident window)
 * @param scan         whether the ghost and orphan numbers come from a full scan or carried from the last one
 * @param baseline     what this full scan leaves for later runs to compare with (history kept, scan full)
 */
public record Snapshot(Instant databaseTime, long identities, long profiles, Ghosts ghosts, Orphans orphans,
                       TriggerState trigger, Duration elapsed, Optional<InsertCounters> inserts, GhostWindow window,
                       Scan scan, Optional<Baseline> baseline) {

    public Snapshot(Instant databaseTime, long identities, long profiles, Ghosts ghosts, Orphans orphans,
                    TriggerState trigger, Duration elapsed) {
        this(databaseTime, identities, profiles, ghosts, orphans, trigger, elapsed, Optional.empty(),
                GhostWindow.none(), new Scan(true, Optional.of(databaseTime), "no history: every run scans in full"),
                Optional.empty());
    }

    /** Identities minus profiles: the runbook's count_parity_check. */
    public long parityDelta() {
        return identities - profiles;
    }
}
