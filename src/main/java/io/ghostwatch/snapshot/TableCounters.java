package io.ghostwatch.snapshot;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * The two tables' cumulative row counters ({@code pg_stat_user_tables}) and what tells that they started
 * over: the server's start (a crash, a restart or a failover to another server resets or replaces them) and
 * the database's statistics reset. Read outside the snapshot's transaction and before it, so every change
 * they count is in the snapshot or will show as a difference next time, never the reverse.
 */
public record TableCounters(long identityInserts, long identityUpdates, long identityDeletes, long profileInserts,
                            long profileUpdates, long profileDeletes, Instant serverStart,
                            Optional<Instant> statsReset) {

    public static TableCounters read(Connection c, TargetSchema schema) throws SQLException {
        return CounterReading.read(c, schema).tables();
    }
}
