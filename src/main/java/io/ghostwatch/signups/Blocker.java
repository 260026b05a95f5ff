package io.ghostwatch.signups;

import io.ghostwatch.sql.Sql;
import io.ghostwatch.snapshot.TargetSchema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A session holding a lock on the identity or profile table that a signup's INSERT (RowExclusiveLock) must wait
 * for: Share, ShareRowExclusive, Exclusive or AccessExclusive, e.g. a migration left idle in its transaction. Or
 * one still waiting for such a lock: PostgreSQL queues every later request that conflicts with a waiting one
 * behind it, so a migration's {@code ALTER TABLE} waiting on a long reader holds up every signup (and every
 * read of the table) while it waits. Read from {@code pg_locks} and {@code pg_stat_activity}, which take no lock
 * on the tables themselves, so the check names it even when it cannot read the tables past it.
 *
 * @param user        empty when the monitoring role may not see it
 * @param application empty when unknown or not visible (needs pg_read_all_stats)
 * @param state       e.g. {@code idle in transaction}; empty when not visible
 * @param held        how long its transaction has been open (a lower bound of how long it has held the lock); for
 *                    a session still waiting, how long its statement has run
 * @param query       the first line of its current or last statement; empty when not visible
 * @param waiting     other sessions waiting for a lock on the same table right now
 * @param waitsFor    empty when it holds the lock; else the sessions it waits behind ({@code pg_blocking_pids})
 */
public record Blocker(int pid, Optional<String> user, Optional<String> application, Optional<String> state,
                      Optional<Duration> held, String mode, String table, Optional<String> query, int waiting,
                      boolean granted, List<Integer> waitsFor) {

    public Blocker {
        waitsFor = List.copyOf(waitsFor);
    }

    /** A session that holds its lock. */
    public Blocker(int pid, Optional<String> user, Optional<String> application, Optional<String> state,
                   Optional<Duration> held, String mode, String table, Optional<String> query, int waiting) {
        this(pid, user, application, state, held, mode, table, query, waiting, true, List.of());
    }

    private static final String QUERY = Sql.byName("""
            SELECT l.pid, a.usename::text, nullif(a.application_name, ''), a.state,
                   extract(epoch FROM pg_catalog.clock_timestamp() OPERATOR(pg_catalog.-)
                           CASE WHEN l.granted THEN a.xact_start ELSE a.query_start END)::float8,
                   l.mode,
                   (SELECT pg_catalog.quote_ident(n.nspname) OPERATOR(pg_catalog.||) '.'
                           OPERATOR(pg_catalog.||) pg_catalog.quote_ident(c.relname)
                    FROM pg_catalog.pg_class c
                    JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
                    WHERE c.oid OPERATOR(pg_catalog.=) l.relation),
                   a.query,
                   (SELECT count(*) FROM pg_catalog.pg_locks w
                    WHERE w.locktype OPERATOR(pg_catalog.=) 'relation' AND NOT w.granted
                      AND w.database OPERATOR(pg_catalog.=) l.database
                      AND w.relation OPERATOR(pg_catalog.=) l.relation
                      AND w.pid OPERATOR(pg_catalog.<>) l.pid)::int,
                   l.granted,
                   CASE WHEN l.granted THEN '{}'::int[] ELSE pg_catalog.pg_blocking_pids(l.pid) END
            FROM pg_catalog.pg_locks l
            LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid OPERATOR(pg_catalog.=) l.pid
            WHERE l.locktype OPERATOR(pg_catalog.=) 'relation'
              AND l.database OPERATOR(pg_catalog.=) (
                  SELECT d.oid FROM pg_catalog.pg_database d
                  WHERE d.datname OPERATOR(pg_catalog.=) pg_catalog.current_database())
              AND l.relation OPERATOR(pg_catalog.=) ANY (ARRAY[pg_catalog.to_regclass(?::text),
                                                              pg_catalog.to_regclass(?::text)])
              AND l.mode OPERATOR(pg_catalog.=) ANY (ARRAY['ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock',
                                                           'AccessExclusiveLock'])
              AND l.pid OPERATOR(pg_catalog.<>) pg_catalog.pg_backend_pid()
            ORDER BY l.granted DESC, a.xact_start NULLS LAST, l.pid
            """);

    /** Every session holding such a lock now, longest-open first, then those waiting for one. */
    public static List<Blocker> read(Connection c, TargetSchema schema) throws SQLException {
        List<Blocker> blockers = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(QUERY)) {
            st.setString(1, schema.identityTable().quoted());
            st.setString(2, schema.profileTable().quoted());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    double seconds = rs.getDouble(5);
                    Optional<Duration> held = rs.wasNull() ? Optional.empty()
                            : Optional.of(Duration.ofMillis(Math.max(0, Math.round(seconds * 1000))));
                    blockers.add(new Blocker(rs.getInt(1), Optional.ofNullable(rs.getString(2)),
                            Optional.ofNullable(rs.getString(3)), Optional.ofNullable(rs.getString(4)), held,
                            rs.getString(6), rs.getString(7), Optional.ofNullable(rs.getString(8))
                            .filter(q -> !q.startsWith("<insufficient privilege>")).map(Blocker::firstLine),
                            rs.getInt(9), rs.getBoolean(10), pids(rs.getArray(11))));
                }
            }
        }
        return blockers;
    }

    private static List<Integer> pids(java.sql.Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        List<Integer> pids = new ArrayList<>();
        for (Object pid : (Object[]) array.getArray()) {
            pids.add(((Number) pid).intValue());
        }
        return pids;
    }

    private static String firstLine(String query) {
        String line = query.strip().lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    /**
     * The statement that ends it, printed for the operator and never run by ghostwatch: a holder's session is
     * ended (its transaction rolls back); a waiter's statement is only cancelled, which empties the queue behind
     * it (a migration can retry with a lock_timeout).
     */
    public String fix() {
        return granted ? "SELECT pg_terminate_backend(" + pid + ");" : "SELECT pg_cancel_backend(" + pid + ");";
    }
}
