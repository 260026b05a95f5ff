package io.ghostwatch.snapshot;

import java.time.Duration;
import java.time.Instant;

/**
 * Everything one run read from the database, in one read-only transaction.
 *
 * @param databaseTime the database's {@code now()}: ages are measured against it, not the monitor's clock
 * @param identities   rows in the identity table
 * @param profiles     rows in the profile table, soft-deleted ones included
 * @param elapsed      how long the database work took
 */
public record Snapshot(Instant databaseTime, long identities, long profiles, Ghosts ghosts, Orphans orphans,
                       TriggerState trigger, Duration elapsed) {

    /** Identities minus profiles: the runbook's count_parity_check. */
    public long parityDelta() {
        return identities - profiles;
    }
}
