package io.ghostwatch.snapshot;

import io.ghostwatch.sql.Sql;
import io.ghostwatch.sql.Identifier;
import io.ghostwatch.sql.SearchPath;

import java.util.Optional;

/**
 * The SQL text of a snapshot, built once from validated, quoted names. Values travel as bind parameters;
 * only identifiers are spliced in, and only through {@link Identifier#quoted()}.
 */
final class SnapshotQueries {

    /**
     * Pins the search_path and sets both timeouts for this transaction only, and reads the clock every age is measured against.
     * Hash joins are turned off for the transaction: the planner otherwise picks a hash FULL JOIN that spills
     * a million-row hash table to disk at the default work_mem, where a merge join of the two primary-key
     * indexes (index-only scans, already sorted) needs no memory and takes half the time. JIT is off too: past
     * its cost thresholds (about 5 million identities) it compiles the join with inlining and optimisation,
     * which at 10 million cost a second more than it saved; a plan of one join and a few counts gains nothing.
     */
    static final String SESSION = """
            SELECT %s,
                   pg_catalog.set_config('statement_timeout', ?, true),
                   pg_catalog.set_config('lock_timeout', ?, true),
                   set_config('enable_hashjoin', 'off', true),
                   set_config('jit', 'off', true),
                   now()
            """.formatted(SearchPath.PIN);

    /**
     * For each (table, column) the snapshot reads: does the table exist, the column, and may we SELECT it.
     * One round trip tells the operator exactly which name or grant is wrong before the real query fails.
     */
    static final String PREFLIGHT = Sql.byName("""
            SELECT x.tbl,
                   x.col,
                   to_regclass(x.tbl) IS NOT NULL AS table_exists,
                   a.attnum IS NOT NULL AS column_exists,
                   CASE WHEN a.attnum IS NOT NULL
                        THEN has_column_privilege(a.attrelid, a.attnum, 'SELECT') END AS can_select,
                   (SELECT pg_catalog.has_schema_privilege(c.relnamespace, 'USAGE') FROM pg_catalog.pg_class c
                    WHERE c.oid = to_regclass(x.tbl)) AS schema_usage
            FROM unnest(?::text[], ?::text[]) WITH ORDINALITY AS x(tbl, col, ord)
            LEFT JOIN pg_attribute a
                   ON a.attrelid = to_regclass(x.tbl) AND a.attname = x.col AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY x.ord
            """);

    /**
     * Whether row-level security hides rows of a table from the monitoring role: RLS is on, the role bypasses
     * it neither as a superuser or BYPASSRLS role nor as the owner (directly or through an inheriting
     * membership, unless FORCE), and no permissive SELECT policy for it (or PUBLIC) reads {@code true} while no
     * restrictive one narrows it. Parameters: the table (quoted text); the view the monitor reads it through,
     * whose owner's rights then apply, or null. A missing table reads as no row.
     */
    static final String ROW_SECURITY = Sql.byName("""
            SELECT c.relrowsecurity
                   AND NOT (r.rolsuper OR r.rolbypassrls)
                   AND (c.relforcerowsecurity OR NOT pg_catalog.pg_has_role(r.oid, c.relowner, 'USAGE'))
                   AND NOT (EXISTS (SELECT 1 FROM pg_catalog.pg_policy p
                                    WHERE p.polrelid = c.oid AND p.polpermissive AND p.polcmd IN ('r', '*')
                                      AND pg_catalog.pg_get_expr(p.polqual, p.polrelid) = 'true'
                                      AND (0::oid = ANY (p.polroles) OR EXISTS (
                                          SELECT 1 FROM pg_catalog.unnest(p.polroles) AS pr(oid)
                                          WHERE pg_catalog.pg_has_role(r.oid, pr.oid, 'USAGE'))))
                            AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_policy p
                                    WHERE p.polrelid = c.oid AND NOT p.polpermissive AND p.polcmd IN ('r', '*')
                                      AND pg_catalog.pg_get_expr(p.polqual, p.polrelid) IS DISTINCT FROM 'true'
                                      AND (0::oid = ANY (p.polroles) OR EXISTS (
                                          SELECT 1 FROM pg_catalog.unnest(p.polroles) AS pr(oid)
                                          WHERE pg_catalog.pg_has_role(r.oid, pr.oid, 'USAGE')))))
                   AS hidden,
                   r.rolname AS monitor,
                   pg_catalog.pg_get_userbyid(c.relowner) AS owner
            FROM pg_catalog.pg_class c, pg_catalog.pg_roles r
            WHERE c.oid = pg_catalog.to_regclass(?::text)
              AND r.oid OPERATOR(pg_catalog.=) coalesce(
                  (SELECT v.relowner FROM pg_catalog.pg_class v WHERE v.oid = pg_catalog.to_regclass(?::text)),
                  (SELECT u.oid FROM pg_catalog.pg_roles u WHERE u.rolname OPERATOR(pg_catalog.=) current_user))
            """);

    /** Every trigger with the configured name, and whether it sits on the identity table (trap: name alone). */
    static final String TRIGGERS = Sql.byName("""
            SELECT t.tgrelid = pg_catalog.to_regclass(?) AS on_identity_table,
                   tn.nspname || '.' || c.relname AS table_name,
                   t.tgenabled::text AS tgenabled,
                   n.nspname || '.' || p.proname AS function_name,
                   t.tgtype::int AS tgtype
            FROM pg_trigger t
            JOIN pg_class c ON c.oid = t.tgrelid
            JOIN pg_namespace tn ON tn.oid = c.relnamespace
            JOIN pg_proc p ON p.oid = t.tgfoid
            JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE t.tgname = ? AND NOT t.tgisinternal
            ORDER BY 1 DESC, 2
            """);

    /** Cumulative inserts per table, for the signup rate: cheap, no scan. */
    static final String INSERT_COUNTERS = Sql.byName("""
            SELECT coalesce((SELECT n_tup_ins FROM pg_stat_user_tables WHERE relid = pg_catalog.to_regclass(?)), 0),
                   coalesce((SELECT n_tup_ins FROM pg_stat_user_tables WHERE relid = pg_catalog.to_regclass(?)), 0)
            """);

    static final String FUNCTION_EXISTS = """
            SELECT EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                           WHERE n.nspname = ? AND p.proname = ?)
            """;

    /**
     * Persisted {@code session_replication_role = replica} settings that reach the sessions signing users up:
     * for this database, for every role, or for the signup role (DESIGN.md's third trap). A server-wide value
     * shows in {@code pg_settings} with a file or command-line source.
     */
    static final String REPLICA_OVERRIDES = """
            SELECT CASE WHEN s.setrole = 0 AND s.setdatabase = 0 THEN 'all_roles'
                        WHEN s.setrole = 0 THEN 'database'
                        WHEN s.setdatabase = 0 THEN 'role'
                        ELSE 'role_in_database' END AS scope,
                   r.rolname,
                   d.datname
            FROM pg_db_role_setting s
            LEFT JOIN pg_roles r ON r.oid = s.setrole
            LEFT JOIN pg_database d ON d.oid = s.setdatabase
            WHERE EXISTS (SELECT 1 FROM unnest(s.setconfig) c
                          WHERE lower(replace(c, ' ', '')) IN ('session_replication_role=replica',
                                                              'session_replication_role=''replica'''))
              AND (s.setdatabase = 0 OR d.datname = current_database())
              AND (s.setrole = 0 OR r.rolname = ?)
            UNION ALL
            SELECT 'server', NULL, NULL
            FROM pg_settings
            WHERE name = 'session_replication_role' AND setting = 'replica'
              AND source IN ('configuration file', 'command line', 'environment variable')
            """;

    /**
     * The periods in which ghosts were made while the trigger was not firing, from earlier checks' history:
     * each check that saw it not firing covers the time since the check before it, and this check, when the
     * trigger does not fire now, covers the time since the last recorded one. NULL when no check is recorded.
     */
    static String notFiringRanges(String historyTable) {
        return """
                WITH runs AS (
                    SELECT finished_at, trigger_enabled, lag(finished_at) OVER (ORDER BY finished_at) AS prev
                    FROM %s WHERE target = ? AND outcome = 'checked'
                )
                SELECT CASE WHEN count(*) = 0 THEN NULL ELSE
                       array_cat(coalesce(array_agg(tstzrange(coalesce(prev, '-infinity'), finished_at, '(]'))
                                              FILTER (WHERE NOT trigger_enabled), '{}'),
                                 CASE WHEN ? THEN ARRAY[tstzrange(max(finished_at), NULL, '()')]
                                      ELSE '{}'::tstzrange[] END)::text END
                FROM runs
                """.formatted(historyTable);
    }

    static String baseline(String scanStateTable) {
        return "SELECT * FROM " + scanStateTable + " WHERE target = ?";
    }

    static final String READABLE = Sql.byName(
            "SELECT coalesce(pg_catalog.has_table_privilege(pg_catalog.to_regclass(?), 'SELECT'), false)");

    /**
     * Whether the monitoring role may read the identity rows' xmin (a column grant of its own); a view has none
     * (CASE, because AND need not stop at the first false).
     */
    static final String XMIN_READABLE = Sql.byName("SELECT CASE WHEN EXISTS (SELECT 1"
            + " FROM pg_catalog.pg_attribute WHERE attrelid = pg_catalog.to_regclass(?::text) AND attname = 'xmin')"
            + " THEN pg_catalog.has_column_privilege(pg_catalog.to_regclass(?::text), 'xmin', 'SELECT')"
            + " ELSE false END");

    /**
     * Probes by primary key for the rest of this transaction, returning the two settings as they were: for a few
     * thousand ids in a table of a few million the planner picks a (parallel) sequential scan with a hashed list,
     * about 100 ms at 1M rows, where index probes of the same ids take a fraction of it and do not grow with the
     * table. (Select-list items are evaluated in order: the old values are read before they are set.)
     */
    static final String PROBES_BY_KEY = "SELECT pg_catalog.current_setting('enable_seqscan'),"
            + " pg_catalog.current_setting('enable_bitmapscan'),"
            + " pg_catalog.set_config('enable_seqscan', 'off', true),"
            + " pg_catalog.set_config('enable_bitmapscan', 'off', true)";

    /** The two settings {@link #PROBES_BY_KEY} changed, back as they were. Parameters: their old values. */
    static final String PLANNER_AGAIN = "SELECT pg_catalog.set_config('enable_seqscan', ?, true),"
            + " pg_catalog.set_config('enable_bitmapscan', ?, true)";

    /** The id column's histogram (ascending), whose bounds split a full scan across connections. */
    static final String HISTOGRAM = """
            SELECT histogram_bounds::text::text[] FROM pg_stats
            WHERE schemaname = ? AND tablename = ? AND attname = ?
            """;

    static final String IN_RECOVERY = "SELECT pg_is_in_recovery()";

    static final String EXPORT_SNAPSHOT = "SELECT pg_export_snapshot()";

    private final TargetSchema schema;

    /**
     * The heavy part is {@link #pairs}: per key range, one FULL JOIN over the two primary keys (index-only scans,
     * merge join) counts both tables and collects the unmatched ids from each side. {@link #counts} then reads
     * only those few rows in full, through the primary keys, for created_at, the anonymous flag and the
     * soft-delete mark.
     */
    SnapshotQueries(TargetSchema s) {
        this.schema = s;
    }

    /**
     * Both tables' rows whose id lies in the range, compared in one merge FULL JOIN. The bounds are untyped
     * parameters (the server gives them the id column's type) and filter each side before the join, where they
     * become index conditions; an open side has no condition at all.
     */
    String pairs(KeyRange range) {
        String iid = schema.identityId().quoted();
        String pid = schema.profileId().quoted();
        return """
                SELECT count(i.id) AS identities,
                       count(p.id) AS profiles,
                       coalesce(array_agg(i.id::text) FILTER (WHERE p.id IS NULL), '{}') AS ghost_ids,
                       coalesce(array_agg(p.id::text) FILTER (WHERE i.id IS NULL), '{}') AS orphan_ids
                FROM (SELECT %2$s AS id FROM %1$s WHERE true%5$s) i
                FULL JOIN (SELECT %4$s AS id FROM %3$s WHERE true%6$s) p ON p.id = i.id
                """.formatted(schema.identityRows().quoted(), iid, schema.profileTable().quoted(), pid,
                bounds(range, iid), bounds(range, pid));
    }

    /** Which of the given ids (an untyped array literal) have an identity row now: index probes by primary key. */
    String probeIdentities() {
        return "SELECT coalesce(array_agg(i.%2$s::text), '{}') FROM %1$s i WHERE i.%2$s = ANY (?)"
                .formatted(schema.identityRows().quoted(), schema.identityId().quoted());
    }

    /** Which of the given ids (an untyped array literal) have a profile row now: index probes by primary key. */
    String probeProfiles() {
        return "SELECT coalesce(array_agg(p.%2$s::text), '{}') FROM %1$s p WHERE p.%2$s = ANY (?)"
                .formatted(schema.profileTable().quoted(), schema.profileId().quoted());
    }

    /** The ids a baseline kept, one row per side: {@code identity} or {@code profile}. */
    static String unmatched(String table) {
        return "SELECT side, array_agg(id) FROM " + table + " WHERE target = ? GROUP BY side";
    }

    private static String bounds(KeyRange range, String column) {
        return range.from().map(f -> " AND " + column + " >= ?").orElse("")
                + range.to().map(t -> " AND " + column + " < ?").orElse("");
    }

    /**
     * Counts, ages, the window and (when asked) the rows themselves of the given unmatched rows. Each side's rows
     * come from the watched table by primary key, or, with {@code keptIn} (the history's scan_unmatched, quoted),
     * as the last full scan saved them. Parameters, in order: identities, profiles; the ghosts' source (the ids to
     * read, or the target and the kept ids to leave out); the orphans' likewise; the sample size, old-after and
     * recent-window seconds, the not-firing ranges; whether to return the rows (twice).
     *
     * @param xmin whether the monitoring role may read the identity rows' xmin (bulk loads)
     */
    String counts(boolean xmin, Optional<String> ghostsKeptIn, Optional<String> orphansKeptIn) {
        TargetSchema s = schema;
        String xid = xmin ? "i.xmin::text" : "NULL::text";
        String identity = s.identityRows().quoted();
        String profile = s.profileTable().quoted();
        String iid = s.identityId().quoted();
        String pid = s.profileId().quoted();
        String created = s.agedFromQuoted();
        // Anonymous identities (when configured so) and those the signup path gives no profile by design.
        String anonymous = s.leftOutByDesign("i");
        String deleted = s.deletedIdentity("i");
        String softDeleted = s.softDeleteColumn().map(c -> "p." + c.quoted() + " IS NOT NULL").orElse("false");
        return """
                WITH pairs AS (
                    SELECT ?::bigint AS identities, ?::bigint AS profiles
                ), ghosts AS (
                    %11$s
                ), orphans AS (
                    %12$s
                ), sample AS (
                    SELECT id, created_at FROM ghosts WHERE NOT excluded
                    ORDER BY created_at DESC NULLS LAST, id
                    LIMIT ?
                )
                SELECT pairs.identities, pairs.profiles,
                       g.total, g.old, g.recent, g.without_created_at, g.oldest, g.excluded, g.deleted,
                       o.unhandled, o.soft_deleted,
                       (SELECT array_agg(id ORDER BY created_at DESC NULLS LAST, id) FROM sample) AS sample_ids,
                       (SELECT array_agg(created_at ORDER BY created_at DESC NULLS LAST, id) FROM sample)
                           AS sample_created,
                       g.newest, g.while_not_firing, hours.hour_starts, hours.hour_counts,
                       bulk.transactions AS bulk_transactions, bulk.rows AS bulk_rows, bulk.first AS bulk_first,
                       bulk.last AS bulk_last,
                       kept_ghosts.ids AS kept_ghost_ids, kept_ghosts.created AS kept_ghost_created,
                       kept_ghosts.excluded AS kept_ghost_excluded, kept_ghosts.deleted AS kept_ghost_deleted,
                       kept_ghosts.xids AS kept_ghost_xids,
                       kept_orphans.ids AS kept_orphan_ids, kept_orphans.soft_deleted AS kept_orphan_soft_deleted
                FROM pairs,
                     (SELECT count(*) FILTER (WHERE NOT excluded) AS total,
                             count(*) FILTER (WHERE NOT excluded AND (created_at IS NULL
                                 OR created_at < now() - make_interval(secs => ?::double precision))) AS old,
                             count(*) FILTER (WHERE NOT excluded
                                 AND created_at >= now() - make_interval(secs => ?::double precision)) AS recent,
                             count(*) FILTER (WHERE NOT excluded AND created_at IS NULL) AS without_created_at,
                             min(created_at) FILTER (WHERE NOT excluded) AS oldest,
                             count(*) FILTER (WHERE excluded AND NOT deleted) AS excluded,
                             count(*) FILTER (WHERE deleted) AS deleted,
                             max(created_at) FILTER (WHERE NOT excluded) AS newest,
                             count(*) FILTER (WHERE NOT excluded
                                 AND created_at <@ ANY (?::tstzrange[])) AS while_not_firing
                      FROM ghosts) g,
                     (SELECT count(*) FILTER (WHERE NOT soft_deleted) AS unhandled,
                             count(*) FILTER (WHERE soft_deleted) AS soft_deleted
                      FROM orphans) o,
                     (SELECT array_agg(hour ORDER BY hour) AS hour_starts, array_agg(n ORDER BY hour) AS hour_counts
                      FROM (SELECT date_trunc('hour', created_at) AS hour, count(*) AS n FROM ghosts
                            WHERE NOT excluded AND created_at IS NOT NULL
                            GROUP BY 1 ORDER BY 1 DESC LIMIT %8$d) h) hours,
                     (SELECT count(*) AS transactions, coalesce(sum(n), 0) AS rows, min(first) AS first,
                             max(last) AS last
                      FROM (SELECT count(*) AS n, min(created_at) AS first, max(created_at) AS last FROM ghosts
                            WHERE NOT excluded AND xid IS NOT NULL GROUP BY xid HAVING count(*) > 1) b) bulk,
                     (SELECT array_agg(id) AS ids, array_agg(created_at) AS created, array_agg(excluded) AS excluded,
                             array_agg(deleted) AS deleted, array_agg(xid) AS xids
                      FROM ghosts WHERE ?::boolean) kept_ghosts,
                     (SELECT array_agg(id) AS ids, array_agg(soft_deleted) AS soft_deleted
                      FROM orphans WHERE ?::boolean) kept_orphans
                """.formatted(identity, iid, profile, pid, created, anonymous, softDeleted, GhostWindow.MAX_HOURS, xid,
                deleted, ghostsKeptIn.map(t -> KEPT_GHOSTS.formatted(t)).orElse("""
                    SELECT i.%2$s::text AS id, i.%5$s::timestamptz AS created_at, %6$s OR %10$s AS excluded,
                           %10$s AS deleted, %9$s AS xid
                    FROM %1$s i WHERE i.%2$s = ANY (?)""".formatted(identity, iid, profile, pid, created,
                        anonymous, softDeleted, GhostWindow.MAX_HOURS, xid, deleted)),
                orphansKeptIn.map(t -> KEPT_ORPHANS.formatted(t)).orElse("""
                    SELECT p.%2$s::text AS id, %3$s AS soft_deleted
                    FROM %1$s p WHERE p.%2$s = ANY (?)""".formatted(profile, pid, softDeleted)));
    }

    /** The kept identities without a profile as the full scan saved them, less the given ids (now matched). */
    private static final String KEPT_GHOSTS = """
            SELECT k.id, k.created_at, k.excluded, k.deleted, k.xid
                    FROM %s k WHERE k.target = ? AND k.side = 'identity' AND NOT (k.id = ANY (?::text[]))""";

    /** The kept profiles without an identity as the full scan saved them, less the given ids (now matched). */
    private static final String KEPT_ORPHANS = """
            SELECT k.id, k.soft_deleted
                    FROM %s k WHERE k.target = ? AND k.side = 'profile' AND NOT (k.id = ANY (?::text[]))""";
}
