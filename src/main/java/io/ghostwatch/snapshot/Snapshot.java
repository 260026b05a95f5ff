package io.ghostwatch.snapshot;

import io.ghostwatch.canary.CanaryResult;
import io.ghostwatch.diagnose.Cause;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything one run read from the database, in one read-only transaction.
 *
 * @param databaseTime the database's {@code now()}: ages are measured against it, not the monitor's clock
 * @param identities   rows in the identity table
 * @param profiles     rows in the profile table, soft-deleted ones included
 * @param elapsed      how long the database work took
 * @param canary       the synthetic signup's result, when the canary is enabled
 * @param inserts      the tables' cumulative insert counters, for signup rates
 * @param diagnosis    Step 3C's causes, read when ghosts exist while the trigger looks enabled
 */
public record Snapshot(Instant databaseTime, long identities, long profiles, Ghosts ghosts, Orphans orphans,
                       TriggerState trigger, Duration elapsed, Optional<CanaryResult> canary,
                       Optional<InsertCounters> inserts, List<Cause> diagnosis) {

    public Snapshot {
        diagnosis = List.copyOf(diagnosis);
    }

    public Snapshot(Instant databaseTime, long identities, long profiles, Ghosts ghosts, Orphans orphans,
                    TriggerState trigger, Duration elapsed) {
        this(databaseTime, identities, profiles, ghosts, orphans, trigger, elapsed, Optional.empty(),
                Optional.empty(), List.of());
    }

    /** The same snapshot with the signup canary's result (it runs apart, in its own rolled-back transaction). */
    public Snapshot withCanary(CanaryResult result) {
        return new Snapshot(databaseTime, identities, profiles, ghosts, orphans, trigger, elapsed,
                Optional.of(result), inserts, diagnosis);
    }

    public Snapshot withInserts(InsertCounters counters) {
        return new Snapshot(databaseTime, identities, profiles, ghosts, orphans, trigger, elapsed, canary,
                Optional.of(counters), diagnosis);
    }

    /** The same snapshot with Step 3C's diagnosis (read when ghosts appear under a firing trigger). */
    public Snapshot withDiagnosis(List<Cause> causes) {
        return new Snapshot(databaseTime, identities, profiles, ghosts, orphans, trigger, elapsed, canary,
                inserts, causes);
    }

    /** Identities minus profiles: the runbook's count_parity_check. */
    public long parityDelta() {
        return identities - profiles;
    }
}
