package io.ghostwatch.judge;

import io.ghostwatch.snapshot.Ghosts;

import java.time.Duration;

/**
 * DESIGN.md's severity thresholds.
 *
 * @param oldAfter     a ghost older than this, or without a created_at, makes the run P0
 * @param p0Count      more ghosts than this makes the run P0; 1..p0Count young ghosts make it P1
 * @param recentWindow ghosts younger than this are "recent" in reports (the runbook's "&lt; 1 hour")
 * @param failedSignupsP0 this many rolled-back signup attempts with none committed since makes the run P0
 * @param blockedAfter    a lock that signups would wait for, held this long (or with a session waiting on it),
 *                        makes the run P0
 * @param writeStoppedAfter a table the signup path writes on INSERT that this many signups since it last grew did
 *                        not reach is {@code path_write_stopped}
 */
public record Policy(Duration oldAfter, int p0Count, Duration recentWindow, int failedSignupsP0,
                     Duration blockedAfter, int writeStoppedAfter) {

    public static final Policy DEFAULT = new Policy(Duration.ofHours(24), 5, Duration.ofHours(1), 3,
            Duration.ofSeconds(5), 20);

    public Policy(Duration oldAfter, int p0Count, Duration recentWindow) {
        this(oldAfter, p0Count, recentWindow, DEFAULT.failedSignupsP0, DEFAULT.blockedAfter,
                DEFAULT.writeStoppedAfter);
    }

    /**
     * The severity table's ghost rows: any old ghost (an unknown created_at counts as old) or more than
     * {@code p0Count} ghosts is P0; 1 to {@code p0Count} ghosts, all young, is P1.
     */
    public Priority ghostPriority(Ghosts ghosts) {
        if (ghosts.total() == 0) {
            return Priority.OK;
        }
        return ghosts.old() > 0 || ghosts.total() > p0Count ? Priority.P0 : Priority.P1;
    }
}
