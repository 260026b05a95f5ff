package io.ghostwatch.snapshot;

import java.time.Instant;

/**
 * What the last full scan of a target found, with the counters read just before it: kept in the history
 * schema (CronJob runs share nothing else) so a later run can tell whether anything that could change the
 * numbers happened since.
 *
 * @param trigger         the trigger's state as {@link TriggerState#fingerprint()}
 * @param deletedExcluded identities without a profile left out because they were deleted
 */
public record Baseline(Instant fullScanAt, TableCounters counters, String trigger, long identities, long profiles,
                       long ghosts, long anonymousExcluded, long orphans, long softDeletedOrphans,
                       long deletedExcluded) {

    public Baseline(Instant fullScanAt, TableCounters counters, String trigger, long identities, long profiles,
                    long ghosts, long anonymousExcluded, long orphans, long softDeletedOrphans) {
        this(fullScanAt, counters, trigger, identities, profiles, ghosts, anonymousExcluded, orphans,
                softDeletedOrphans, 0);
    }

    /** The baseline a full scan leaves for the runs after it. */
    public static Baseline of(Snapshot s, TableCounters counters) {
        return new Baseline(s.databaseTime(), counters, s.trigger().fingerprint(), s.identities(), s.profiles(),
                s.ghosts().total(), s.ghosts().anonymousExcluded(), s.orphans().unhandled(), s.orphans().softDeleted(),
                s.ghosts().deletedExcluded());
    }
}
