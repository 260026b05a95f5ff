package io.ghostwatch.snapshot;

import java.time.Instant;
import java.util.Optional;

/**
 * What the last full scan of a target found, with the counters read just before it: kept in the history
 * schema (CronJob runs share nothing else) so a later run can tell whether anything that could change the
 * numbers happened since.
 *
 * @param trigger         the trigger's state as {@link TriggerState#fingerprint()}
 * @param deletedExcluded identities without a profile left out because they were deleted
 * @param unmatched       the ids of every unmatched row, when the scan kept them (at most the configured bound)
 * @param shape           the tables and columns the scan read ({@link TargetSchema#rowShape()}); empty when a
 *                        version before V8 recorded the baseline
 */
public record Baseline(Instant fullScanAt, TableCounters counters, String trigger, long identities, long profiles,
                       long ghosts, long anonymousExcluded, long orphans, long softDeletedOrphans,
                       long deletedExcluded, Optional<UnmatchedIds> unmatched, String shape) {

    public Baseline(Instant fullScanAt, TableCounters counters, String trigger, long identities, long profiles,
                    long ghosts, long anonymousExcluded, long orphans, long softDeletedOrphans, String shape) {
        this(fullScanAt, counters, trigger, identities, profiles, ghosts, anonymousExcluded, orphans,
                softDeletedOrphans, 0, Optional.empty(), shape);
    }

    /** The baseline a full scan of tables and columns of this {@code shape} leaves, without ids. */
    public static Baseline of(Snapshot s, TableCounters counters, String shape) {
        return of(s, counters, Optional.empty(), shape);
    }

    /** The baseline a full scan leaves, with the ids of its unmatched rows when it kept them. */
    public static Baseline of(Snapshot s, TableCounters counters, Optional<UnmatchedIds> unmatched, String shape) {
        return new Baseline(s.databaseTime(), counters, s.trigger().fingerprint(), s.identities(), s.profiles(),
                s.ghosts().total(), s.ghosts().anonymousExcluded(), s.orphans().unhandled(), s.orphans().softDeleted(),
                s.ghosts().deletedExcluded(), unmatched, shape);
    }

    /** Every row the scan found unmatched: ghosts, excluded identities without a profile, and orphans. */
    public long unmatchedRows() {
        return ghosts + anonymousExcluded + deletedExcluded + orphans + softDeletedOrphans;
    }
}
