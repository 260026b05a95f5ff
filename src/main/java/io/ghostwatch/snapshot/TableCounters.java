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
 *
 * <p>Besides: each table's live rows ({@code n_live_tup}: committed inserts less committed deletes, until a
 * vacuum or analyze sets it to an estimate), how many vacuums and analyzes it has had, and its relfilenode (a
 * TRUNCATE or a rewrite gives it a new one, and its rows go without a delete counted). -1 where not known: a
 * baseline a version before V7 wrote.
 */
public record TableCounters(long identityInserts, long identityUpdates, long identityDeletes, long profileInserts,
                            long profileUpdates, long profileDeletes, Instant serverStart,
                            Optional<Instant> statsReset, long identityLive, long profileLive,
                            long identityMaintenance, long profileMaintenance, long identityFilenode,
                            long profileFilenode) {

    public TableCounters(long identityInserts, long identityUpdates, long identityDeletes, long profileInserts,
                         long profileUpdates, long profileDeletes, Instant serverStart,
                         Optional<Instant> statsReset) {
        this(identityInserts, identityUpdates, identityDeletes, profileInserts, profileUpdates, profileDeletes,
                serverStart, statsReset, -1, -1, -1, -1, -1, -1);
    }

    public static TableCounters read(Connection c, TargetSchema schema) throws SQLException {
        return CounterReading.read(c, schema).tables();
    }

    /**
     * The identity rows now, from {@code base} rows at {@code then}: moved by the committed rows when no vacuum or
     * analyze re-estimated them between (so a rolled-back insert, such as the canary's, counts for nothing), else
     * by inserts less deletes (rolled-back inserts included, so it may run high until the next full scan).
     */
    public long identitiesSince(TableCounters then, long base) {
        return moved(base, then.identityLive, identityLive, then.identityMaintenance, identityMaintenance,
                identityInserts - then.identityInserts - (identityDeletes - then.identityDeletes));
    }

    /** The profile rows now, as {@link #identitiesSince}. */
    public long profilesSince(TableCounters then, long base) {
        return moved(base, then.profileLive, profileLive, then.profileMaintenance, profileMaintenance,
                profileInserts - then.profileInserts - (profileDeletes - then.profileDeletes));
    }

    private static long moved(long base, long liveThen, long liveNow, long maintenanceThen, long maintenanceNow,
                              long insertsLessDeletes) {
        boolean exact = liveThen >= 0 && liveNow >= 0 && maintenanceThen >= 0 && maintenanceThen == maintenanceNow;
        return base + (exact ? liveNow - liveThen : insertsLessDeletes);
    }

    /** Whether any identity row was inserted, updated or deleted since {@code then}, by the counters. */
    public boolean identitiesChangedSince(TableCounters then) {
        return identityInserts != then.identityInserts || identityUpdates != then.identityUpdates
                || identityDeletes != then.identityDeletes;
    }

    /** Whether any profile row was inserted, updated or deleted since {@code then}, by the counters. */
    public boolean profilesChangedSince(TableCounters then) {
        return profileInserts != then.profileInserts || profileUpdates != then.profileUpdates
                || profileDeletes != then.profileDeletes;
    }

    /** Whether a table got a new relfilenode since {@code then} (both known). */
    public boolean rewrittenSince(TableCounters then) {
        return changed(then.identityFilenode, identityFilenode) || changed(then.profileFilenode, profileFilenode);
    }

    private static boolean changed(long then, long now) {
        return then > 0 && now > 0 && then != now;
    }
}
