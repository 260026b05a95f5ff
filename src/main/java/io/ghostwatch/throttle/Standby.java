package io.ghostwatch.throttle;

import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * One row of {@code pg_stat_replication} as the role running the fix sees it.
 *
 * @param name          application_name, else the client address, else the walsender's pid
 * @param visible       false when the role may not see the standby's positions (it needs pg_monitor)
 * @param replayLsn     how far the standby has replayed, as a byte position; empty until it first reports
 * @param reportedLag   the server's replay_lag, seconds; empty when the standby is idle and caught up
 */
public record Standby(String name, boolean visible, OptionalLong replayLsn, OptionalDouble reportedLag) {
}
