package io.ghostwatch.snapshot;

import io.ghostwatch.sql.ConnectionSource;
import io.ghostwatch.sql.Identifier;
import io.ghostwatch.sql.PgArrays;
import io.ghostwatch.sql.QualifiedName;
import io.ghostwatch.sql.Sql;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a {@link Snapshot} in one {@code READ ONLY}, {@code REPEATABLE READ} transaction with
 * {@code statement_timeout} and {@code lock_timeout} set, so every number comes from the same moment and the
 * monitor never queues behind (or in front of) the DDL and signups it watches.
 */
public final class SnapshotReader {

    private final TargetSchema schema;
    private final SnapshotQueries queries;
    private final Optional<ConnectionSource> more;
    private final int parallelism;

    /** Compares the primary keys on the one connection it is given. */
    public SnapshotReader(TargetSchema schema) {
        this(schema, Optional.empty(), 1);
    }

    /**
     * @param more        opens the further connections a full scan may compare key ranges on
     * @param parallelism the most connections a full scan uses at once, the given one included
     */
    public SnapshotReader(TargetSchema schema, Optional<ConnectionSource> more, int parallelism) {
        this.schema = schema;
        this.queries = new SnapshotQueries(schema);
        this.more = more;
        this.parallelism = parallelism;
    }

    public Snapshot read(Connection connection, SnapshotRequest request) throws SQLException {
        // Before the snapshot's transaction: whatever these counters count is in the snapshot too.
        return read(connection, request, request.history().isPresent()
                ? Optional.of(TableCounters.read(connection, schema)) : Optional.empty());
    }

    /**
     * @param counters the tables' counters, read just before on the same connection outside any transaction
     *                 (present exactly when history is kept)
     */
    public Snapshot read(Connection connection, SnapshotRequest request, Optional<TableCounters> counters)
            throws SQLException {
        long started = System.nanoTime();
        try (ReadOnlyTransaction tx = ReadOnlyTransaction.begin(connection, request.statementTimeout(),
                request.lockTimeout(), Optional.empty())) {
            Instant now = tx.databaseTime();
            preflight(connection);
            TriggerState trigger = readTrigger(connection);
            Optional<Baseline> last = readBaseline(connection, request);
            Optional<String> fullScanNeeded = counters.isEmpty()
                    ? Optional.of("no history kept: every run scans in full")
                    : ScanDecision.fullScanNeeded(last, counters.get(), trigger, schema.rowShape(), now,
                    request.fullScanInterval());
            // The counters read before the transaction already hold both tables' inserts: no second read.
            InsertCounters inserts = counters.isPresent()
                    ? new InsertCounters(counters.get().identityInserts(), counters.get().profileInserts())
                    : readInsertCounters(connection);
            if (fullScanNeeded.isEmpty()) {
                Steady steady = steady(connection, request, last.get(), counters.get(), now, trigger, inserts,
                        started);
                if (steady.snapshot().isPresent()) {
                    connection.commit();
                    return steady.snapshot().get();
                }
                fullScanNeeded = steady.fullScanNeeded();
            }
            Optional<String> notFiring = notFiringRanges(connection, request, trigger);
            Pairs pairs = new PairScan(schema, queries).scan(connection, more, parallelism,
                    request.statementTimeout(), request.lockTimeout());
            // The rows of every unmatched row, for the steady checks after this one, when there are few enough.
            boolean keep = counters.isPresent()
                    && pairs.ghostIds().size() + pairs.orphanIds().size() <= request.maxUnmatched();
            Counts counts = readCounts(connection, request, notFiring, pairs.identities(), pairs.profiles(),
                    RowSource.table(pairs.ghostIds()), RowSource.table(pairs.orphanIds()), keep, keep);
            connection.commit();
            Snapshot full = new Snapshot(now, counts.identities(), counts.profiles(), counts.ghosts(),
                    counts.orphans(), trigger, Duration.ofNanos(System.nanoTime() - started),
                    Optional.of(inserts), counts.window(),
                    new Scan(true, Optional.of(now), fullScanNeeded.get()), Optional.empty());
            // The rows carry their ids: the id lists are not held twice (the heap is 32 MiB in the image).
            Optional<UnmatchedIds> ids = counts.rows().map(rows -> new UnmatchedIds(List.of(), List.of(),
                    Optional.of(rows), false));
            return counters.map(c -> withBaseline(full, Baseline.of(full, c, ids, schema.rowShape()))).orElse(full);
        }
    }

    /**
     * Which table's counters moved since the baseline: only rows of that table may have changed, so only there are
     * the kept rows read again. Both, when the history holds the kept ids without their rows (a V7 baseline).
     */
    record Changed(boolean identities, boolean profiles) {

        boolean any() {
            return identities || profiles;
        }

        static Changed since(TableCounters then, TableCounters now, boolean rowsStored) {
            return rowsStored ? new Changed(now.identitiesChangedSince(then), now.profilesChangedSince(then))
                    : new Changed(true, true);
        }

        String read(long kept) {
            if (!identities && !profiles) {
                return "neither table's counters moved, so the " + kept + " unmatched rows the last full scan kept"
                        + " were counted as it read them";
            }
            String tables = identities && profiles ? "both tables" : identities ? "the identity table"
                    : "the profile table";
            return "both tables' inserts and deletes moved in lockstep outside the " + kept + " unmatched rows the"
                    + " last full scan kept, which were read again by primary key in " + tables;
        }
    }

    /** A steady check's snapshot, or why a full scan is needed after all. */
    private record Steady(Optional<Snapshot> snapshot, Optional<String> fullScanNeeded) {
    }

    /**
     * A steady check: the last full scan's numbers moved by the counters when it left nothing unmatched; else
     * the rows still unmatched among those it kept ({@link #kept}), counted and dated exactly as a full scan
     * counts its own, with the row totals moved by the counters. Either way the counters outside the kept rows
     * must have moved in lockstep.
     */
    private Steady steady(Connection c, SnapshotRequest request, Baseline b, TableCounters now, Instant databaseTime,
                          TriggerState trigger, InsertCounters inserts, long started) throws SQLException {
        long identities = now.identitiesSince(b.counters(), b.identities());
        long profiles = now.profilesSince(b.counters(), b.profiles());
        if (b.unmatchedRows() == 0) {
            Optional<String> unbalanced = ScanDecision.unbalanced(b, now, Recheck.NONE);
            return unbalanced.isPresent() ? new Steady(Optional.empty(), unbalanced)
                    : new Steady(Optional.of(carried(b, identities, profiles, databaseTime, trigger, inserts,
                    Duration.ofNanos(System.nanoTime() - started))), Optional.empty());
        }
        UnmatchedIds ids = b.unmatched().orElseThrow();
        Changed changed = Changed.since(b.counters(), now, ids.rowsStored());
        if (changed.any() && !ids.idsRead()) {
            ids = readUnmatched(c, request.history().orElseThrow(), true);
        }
        Kept kept = kept(c, request, ids, changed, notFiringRanges(c, request, trigger), identities, profiles);
        Optional<String> unbalanced = ScanDecision.unbalanced(b, now, kept.recheck());
        if (unbalanced.isPresent()) {
            return new Steady(Optional.empty(), unbalanced);
        }
        Counts counts = kept.counts();
        return new Steady(Optional.of(new Snapshot(databaseTime, identities, profiles, counts.ghosts(),
                counts.orphans(), trigger, Duration.ofNanos(System.nanoTime() - started), Optional.of(inserts),
                counts.window(), new Scan(false, Optional.of(b.fullScanAt()), changed.read(b.unmatchedRows())
                + "; the counters were not reset and the trigger is unchanged"), Optional.empty())),
                Optional.empty());
    }

    /** The kept rows now: which are unmatched (with what their changes account for), and their counts. */
    private record Kept(Recheck recheck, Counts counts) {
    }

    /**
     * The kept rows read again where their table's counters moved, each id looked up once: an identity without a
     * profile is looked up in the profile table, and, if still without one, read in full from the identity table
     * by the counts query, whose rows found tell which identities are still there (and likewise for a profile
     * without an identity). Only the few ids whose side changed (a ghost that got its profile, an orphan whose
     * identity came back) are looked up in the other table. A table whose counters did not move is not read: its
     * side is counted from the rows as the full scan saved them.
     */
    private Kept kept(Connection c, SnapshotRequest request, UnmatchedIds ids, Changed changed,
                      Optional<String> notFiring, long identities, long profiles) throws SQLException {
        if (!changed.any()) {
            return keptRead(c, request, ids, changed, notFiring, identities, profiles);
        }
        // Transaction-local: a failure rolls the settings back with the transaction, so only success restores.
        String[] planner = planner(c, SnapshotQueries.PROBES_BY_KEY);
        Kept kept = keptRead(c, request, ids, changed, notFiring, identities, profiles);
        try (PreparedStatement st = c.prepareStatement(SnapshotQueries.PLANNER_AGAIN)) {
            st.setString(1, planner[0]);
            st.setString(2, planner[1]);
            st.executeQuery().close();
        }
        return kept;
    }

    /** Sets the planner for probes by key and returns enable_seqscan and enable_bitmapscan as they were. */
    private static String[] planner(Connection c, String sql) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
            rs.next();
            return new String[] {rs.getString(1), rs.getString(2)};
        }
    }

    private Kept keptRead(Connection c, SnapshotRequest request, UnmatchedIds ids, Changed changed,
                          Optional<String> notFiring, long identities, long profiles) throws SQLException {
        Set<String> profileSide = new HashSet<>(ids.profiles());
        // Identities without a profile then that have one now; then who of those, and of the profiles without an
        // identity then, has an identity now; then who of the latter still has its profile.
        Set<String> gotProfile = changed.profiles() ? probe(c, queries.probeProfiles(), ids.identities()) : Set.of();
        Set<String> healedStill;
        Set<String> gotIdentity;
        if (changed.identities()) {
            List<String> ask = new ArrayList<>(ids.profiles());
            ask.addAll(gotProfile);
            Set<String> found = probe(c, queries.probeIdentities(), ask);
            healedStill = intersection(found, gotProfile);
            gotIdentity = intersection(found, profileSide);
        } else {
            healedStill = gotProfile;
            gotIdentity = Set.of();
        }
        Set<String> backWithProfile = changed.profiles() ? probe(c, queries.probeProfiles(),
                List.copyOf(gotIdentity)) : gotIdentity;
        List<String> ghostCandidates = new ArrayList<>(ids.identities().stream()
                .filter(id -> !gotProfile.contains(id)).toList());
        gotIdentity.stream().filter(id -> !backWithProfile.contains(id)).forEach(ghostCandidates::add);
        List<String> orphanCandidates = new ArrayList<>(ids.profiles().stream()
                .filter(id -> !gotIdentity.contains(id)).toList());
        gotProfile.stream().filter(id -> !healedStill.contains(id)).forEach(orphanCandidates::add);
        String table = request.history().orElseThrow().unmatched();
        RowSource ghosts = changed.identities() ? RowSource.table(ghostCandidates)
                : RowSource.kept(table, List.copyOf(gotProfile));
        RowSource orphans = changed.profiles() ? RowSource.table(orphanCandidates)
                : RowSource.kept(table, List.copyOf(gotIdentity));
        Counts counts = readCounts(c, request, notFiring, identities, profiles, ghosts, orphans,
                changed.identities(), changed.profiles());
        KeptRows found = counts.rows().orElse(new KeptRows(List.of(), List.of()));
        Set<String> stillGhosts = changed.identities()
                ? found.identities().stream().map(KeptRows.IdentityRow::id).collect(Collectors.toSet())
                : new HashSet<>(ghostCandidates);
        Set<String> stillOrphans = changed.profiles()
                ? found.profiles().stream().map(KeptRows.ProfileRow::id).collect(Collectors.toSet())
                : new HashSet<>(orphanCandidates);
        Set<String> withIdentity = new HashSet<>(stillGhosts);
        withIdentity.addAll(healedStill);
        withIdentity.addAll(gotIdentity);
        Set<String> withProfile = new HashSet<>(stillOrphans);
        withProfile.addAll(gotProfile);
        withProfile.addAll(backWithProfile);
        return new Kept(Recheck.of(ids, withIdentity, withProfile), counts);
    }

    private static Set<String> intersection(Set<String> a, Set<String> b) {
        return a.stream().filter(b::contains).collect(Collectors.toSet());
    }

    /** Which of the ids have a row in the probe's table now: index probes by primary key, none for no ids. */
    private static Set<String> probe(Connection c, String sql, List<String> ids) throws SQLException {
        if (ids.isEmpty()) {
            return Set.of();
        }
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setObject(1, PgArrays.literal(ids), Types.OTHER);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return new HashSet<>(Arrays.asList((String[]) rs.getArray(1).getArray()));
            }
        }
    }

    private static Snapshot withBaseline(Snapshot s, Baseline b) {
        return new Snapshot(s.databaseTime(), s.identities(), s.profiles(), s.ghosts(), s.orphans(), s.trigger(),
                s.elapsed(), s.inserts(), s.window(), s.scan(), Optional.of(b));
    }

    /**
     * The last full scan's numbers, still true: it left nothing unmatched, and nothing is; row counts moved by
     * the committed rows ({@link TableCounters#identitiesSince}).
     */
    private static Snapshot carried(Baseline b, long identities, long profiles, Instant databaseTime,
                                    TriggerState trigger, InsertCounters inserts, Duration elapsed) {
        Ghosts ghosts = new Ghosts(0, 0, 0, 0, Optional.empty(), b.anonymousExcluded(), List.of(),
                b.deletedExcluded());
        return new Snapshot(databaseTime, identities, profiles, ghosts, new Orphans(0, b.softDeletedOrphans()),
                trigger, elapsed, Optional.of(inserts), GhostWindow.none(), new Scan(false,
                Optional.of(b.fullScanAt()), "both tables' inserts, deletes and updates moved in lockstep since the"
                + " last full scan, the counters were not reset and the trigger is unchanged"), Optional.empty());
    }

    private Optional<Baseline> readBaseline(Connection c, SnapshotRequest request) throws SQLException {
        if (request.history().isEmpty() || !readable(c, request.history().get().scanState())) {
            return Optional.empty();
        }
        try (PreparedStatement st = c.prepareStatement(SnapshotQueries.baseline(request.history().get()
                .scanState()))) {
            st.setString(1, request.history().get().target());
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                TableCounters counters = new TableCounters(rs.getLong("identity_inserts"),
                        rs.getLong("identity_updates"), rs.getLong("identity_deletes"), rs.getLong("profile_inserts"),
                        rs.getLong("profile_updates"), rs.getLong("profile_deletes"),
                        rs.getTimestamp("server_start").toInstant(), instant(rs, "stats_reset"),
                        orUnknown(rs, "identity_live"), orUnknown(rs, "profile_live"),
                        orUnknown(rs, "identity_maintenance"), orUnknown(rs, "profile_maintenance"),
                        orUnknown(rs, "identity_filenode"), orUnknown(rs, "profile_filenode"));
                // Rows stored: their ids are read only by a check that needs them (a table changed).
                boolean rowsStored = column(rs, "unmatched_rows_kept") && rs.getBoolean("unmatched_rows_kept");
                Optional<UnmatchedIds> unmatched = !column(rs, "unmatched_kept") || !rs.getBoolean("unmatched_kept")
                        ? Optional.empty() : rowsStored ? Optional.of(UnmatchedIds.IN_HISTORY)
                        : Optional.of(readUnmatched(c, request.history().get(), false));
                return Optional.of(new Baseline(rs.getTimestamp("full_scan_at").toInstant(), counters,
                        rs.getString("trigger_state"), rs.getLong("identities"), rs.getLong("profiles"),
                        rs.getLong("ghosts"), rs.getLong("anonymous_excluded"), rs.getLong("orphans"),
                        rs.getLong("orphans_soft_deleted"), column(rs, "deleted_excluded") ? rs.getLong(
                        "deleted_excluded") : 0, unmatched, column(rs, "row_shape") ? rs.getString("row_shape") : ""));
            }
        }
    }

    private static UnmatchedIds readUnmatched(Connection c, HistoryTables history, boolean rowsStored)
            throws SQLException {
        List<String> identities = List.of();
        List<String> profiles = List.of();
        try (PreparedStatement st = c.prepareStatement(SnapshotQueries.unmatched(history.unmatched()))) {
            st.setString(1, history.target());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    List<String> ids = List.of((String[]) rs.getArray(2).getArray());
                    if ("identity".equals(rs.getString(1))) {
                        identities = ids;
                    } else {
                        profiles = ids;
                    }
                }
            }
        }
        return new UnmatchedIds(identities, profiles, Optional.empty(), rowsStored);
    }

    /** A V7 column's value, or -1 (unknown) from a baseline an earlier version wrote. */
    private static long orUnknown(ResultSet rs, String name) throws SQLException {
        return column(rs, name) ? rs.getLong(name) : -1;
    }

    /** Whether the baseline row has the column: one a version before V6 or V7 wrote, read before this run migrates. */
    private static boolean column(ResultSet rs, String name) throws SQLException {
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            if (rs.getMetaData().getColumnName(i).equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean readable(Connection c, String table) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(SnapshotQueries.READABLE)) {
            st.setString(1, table);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private InsertCounters readInsertCounters(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(SnapshotQueries.INSERT_COUNTERS)) {
            st.setString(1, schema.identityTable().quoted());
            st.setString(2, schema.profileTable().quoted());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return new InsertCounters(rs.getLong(1), rs.getLong(2));
            }
        }
    }

    private record Counts(long identities, long profiles, Ghosts ghosts, Orphans orphans, GhostWindow window,
                          Optional<KeptRows> rows) {
    }

    /** Earlier checks' not-firing periods as a tstzrange[] literal; empty when there is no readable history. */
    private static Optional<String> notFiringRanges(Connection c, SnapshotRequest request, TriggerState trigger)
            throws SQLException {
        if (request.history().isEmpty()) {
            return Optional.empty();
        }
        HistoryTables history = request.history().get();
        if (!readable(c, history.runs())) {
            return Optional.empty();
        }
        try (PreparedStatement st = c.prepareStatement(SnapshotQueries.notFiringRanges(history.runs()))) {
            st.setString(1, history.target());
            st.setBoolean(2, !trigger.fires());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return Optional.ofNullable(rs.getString(1));
            }
        }
    }

    private record Needed(QualifiedName table, String tableKey, Identifier column, String columnKey) {
    }

    private List<Needed> neededColumns() {
        List<Needed> needed = new ArrayList<>();
        String it = "ghostwatch.identity.table";
        String pt = "ghostwatch.profile.table";
        needed.add(new Needed(schema.identityRows(), it, schema.identityId(), "ghostwatch.identity.id-column"));
        needed.add(new Needed(schema.identityRows(), it, schema.identityCreatedAt(),
                "ghostwatch.identity.created-at-column"));
        schema.anonymousColumn().ifPresent(col -> needed.add(new Needed(schema.identityRows(), it, col,
                "ghostwatch.identity.anonymous-column (or set ghostwatch.identity.anonymous-users-have-profiles=true)")));
        schema.identityDeletedAt().ifPresent(col -> needed.add(new Needed(schema.identityRows(), it, col,
                "ghostwatch.identity.deleted-at-column (or set it to none)")));
        needed.add(new Needed(schema.profileTable(), pt, schema.profileId(), "ghostwatch.profile.id-column"));
        schema.softDeleteColumn().ifPresent(col -> needed.add(new Needed(schema.profileTable(), pt, col,
                "ghostwatch.profile.soft-delete-column (or set it to none)")));
        return needed;
    }

    private static final String SUPABASE_HINT = " (on Supabase, where postgres cannot grant it, run"
            + " sql/supabase.sql instead)";

    /** Names exactly which table, column or grant is wrong, before the real query fails with less to say. */
    private void preflight(Connection c) throws SQLException {
        List<Needed> needed = neededColumns();
        List<String> problems = new ArrayList<>();
        List<QualifiedName> missingTables = new ArrayList<>();
        List<Identifier> unusableSchemas = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(SnapshotQueries.PREFLIGHT)) {
            st.setArray(1, c.createArrayOf("text", needed.stream().map(n -> n.table().quoted()).toArray()));
            st.setArray(2, c.createArrayOf("text", needed.stream().map(n -> n.column().name()).toArray()));
            try (ResultSet rs = st.executeQuery()) {
                for (Needed n : needed) {
                    rs.next();
                    if (!rs.getBoolean("table_exists")) {
                        if (!missingTables.contains(n.table())) {
                            missingTables.add(n.table());
                            problems.add("table " + n.table() + " does not exist; point " + n.tableKey()
                                    + " at the right table (schema.table)");
                        }
                    } else if (!rs.getBoolean("column_exists")) {
                        problems.add("column " + n.column() + " does not exist in " + n.table() + "; set "
                                + n.columnKey());
                    } else if (!rs.getBoolean("schema_usage")) {
                        if (!unusableSchemas.contains(n.table().schema())) {
                            unusableSchemas.add(n.table().schema());
                            problems.add("permission denied for schema " + n.table().schema() + ": the monitoring"
                                    + " role may not use it; run GRANT USAGE ON SCHEMA " + n.table().schema().quoted()
                                    + " TO <role>" + SUPABASE_HINT);
                        }
                    } else if (!rs.getBoolean("can_select")) {
                        problems.add("permission denied: the monitoring role cannot read " + n.table() + "("
                                + n.column() + "); run GRANT SELECT ON " + n.table().quoted() + " TO <role>");
                    }
                }
            }
        }
        if (problems.isEmpty()) {
            hiddenByRowSecurity(c, schema.identityTable(), schema.identityReadThrough()).ifPresent(problems::add);
            hiddenByRowSecurity(c, schema.profileTable(), Optional.empty()).ifPresent(problems::add);
        }
        if (!problems.isEmpty()) {
            throw new SchemaProblemException(problems, missingTables);
        }
    }

    /**
     * Never judge rows the role cannot see: with row-level security hiding rows, every count would be a count of
     * what a policy shows (zero identities on Supabase, where auth.users has RLS and no policy).
     */
    private static Optional<String> hiddenByRowSecurity(Connection c, QualifiedName table,
                                                        Optional<QualifiedName> through) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(SnapshotQueries.ROW_SECURITY)) {
            st.setString(1, table.quoted());
            st.setString(2, through.map(QualifiedName::quoted).orElse(null));
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next() || !rs.getBoolean("hidden")) {
                    return Optional.empty();
                }
                if (through.isPresent()) {
                    return Optional.of("row-level security on " + table + " hides its rows from "
                            + rs.getString("monitor") + ", which owns " + through.get() + ", the view the monitor"
                            + " reads identities through, so nothing counted there could be trusted; re-run"
                            + " sql/supabase.sql as a role that may read every row (on Supabase: postgres, which has"
                            + " BYPASSRLS)");
                }
                String monitor = Sql.quoteIdent(rs.getString("monitor"));
                return Optional.of("row-level security on " + table + " hides its rows from the monitoring role "
                        + rs.getString("monitor") + ", so nothing it counts there could be trusted; let it read every"
                        + " row: as the table's owner (" + rs.getString("owner") + ") run CREATE POLICY"
                        + " ghostwatch_read ON " + table.quoted() + " FOR SELECT TO " + monitor + " USING (true);"
                        + " (its column grants still keep e-mails out), or give the role BYPASSRLS");
            }
        }
    }

    private TriggerState readTrigger(Connection c) throws SQLException {
        Optional<String> tgenabled = Optional.empty();
        Optional<String> function = Optional.empty();
        Optional<String> cannotSync = Optional.empty();
        List<String> elsewhere = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(SnapshotQueries.TRIGGERS)) {
            st.setString(1, schema.identityTable().quoted());
            st.setString(2, schema.triggerName().name());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    if (rs.getBoolean("on_identity_table")) {
                        tgenabled = Optional.of(rs.getString("tgenabled"));
                        function = Optional.of(rs.getString("function_name"));
                        cannotSync = TriggerState.shapeProblem(rs.getInt("tgtype"),
                                schema.selection().map(TargetSchema.Selection::onUpdate).orElse(false));
                    } else {
                        elsewhere.add(rs.getString("table_name"));
                    }
                }
            }
        }
        boolean functionExists;
        try (PreparedStatement st = c.prepareStatement(SnapshotQueries.FUNCTION_EXISTS)) {
            st.setString(1, schema.triggerFunction().schema().name());
            st.setString(2, schema.triggerFunction().name().name());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                functionExists = rs.getBoolean(1);
            }
        }
        return new TriggerState(tgenabled, function, functionExists, elsewhere, readReplicaOverrides(c),
                cannotSync);
    }

    private List<TriggerState.ReplicaOverride> readReplicaOverrides(Connection c) throws SQLException {
        List<TriggerState.ReplicaOverride> overrides = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(SnapshotQueries.REPLICA_OVERRIDES)) {
            st.setString(1, schema.signupRole().orElse(null));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    overrides.add(override(rs.getString("scope"), rs.getString("rolname"), rs.getString("datname")));
                }
            }
        }
        return overrides;
    }

    private static TriggerState.ReplicaOverride override(String scope, String role, String database) {
        String reset = " RESET session_replication_role;";
        return switch (scope) {
            case "all_roles" -> new TriggerState.ReplicaOverride("every role (ALTER ROLE ALL)",
                    "ALTER ROLE ALL" + reset);
            case "database" -> new TriggerState.ReplicaOverride("database " + database,
                    "ALTER DATABASE " + Sql.quoteIdent(database) + reset);
            case "role" -> new TriggerState.ReplicaOverride("role " + role,
                    "ALTER ROLE " + Sql.quoteIdent(role) + reset);
            case "role_in_database" -> new TriggerState.ReplicaOverride("role " + role + " in database " + database,
                    "ALTER ROLE " + Sql.quoteIdent(role) + " IN DATABASE " + Sql.quoteIdent(database) + reset);
            default -> new TriggerState.ReplicaOverride("server configuration (postgresql.conf or command line)",
                    "ALTER SYSTEM SET session_replication_role = 'origin'; SELECT pg_reload_conf();");
        };
    }

    /**
     * Where a side's unmatched rows are read: from the watched table by primary key ({@code ids}: those to read),
     * or as the last full scan saved them in {@code keptIn} ({@code ids}: those to leave out, matched now).
     */
    private record RowSource(Optional<String> keptIn, List<String> ids) {

        static RowSource table(List<String> ids) {
            return new RowSource(Optional.empty(), ids);
        }

        static RowSource kept(String table, List<String> leftOut) {
            return new RowSource(Optional.of(table), leftOut);
        }

        int bind(PreparedStatement st, int at, SnapshotRequest request) throws SQLException {
            if (keptIn.isPresent()) {
                st.setString(at++, request.history().orElseThrow().target());
            }
            st.setObject(at++, PgArrays.literal(ids), Types.OTHER);
            return at;
        }
    }

    /**
     * Counts, ages and the window of the given unmatched rows (the scan found them, or a steady check kept them);
     * with {@code keepGhosts} and {@code keepOrphans}, each side's rows themselves too (for the baseline, or to
     * tell a steady check which of the rows it asked for are still there).
     */
    private Counts readCounts(Connection c, SnapshotRequest request, Optional<String> notFiring, long identities,
                              long profiles, RowSource ghostRows, RowSource orphanRows, boolean keepGhosts,
                              boolean keepOrphans)
            throws SQLException {
        boolean xmin;
        try (PreparedStatement st = c.prepareStatement(SnapshotQueries.XMIN_READABLE)) {
            st.setString(1, schema.identityRows().quoted());
            st.setString(2, schema.identityRows().quoted());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                xmin = rs.getBoolean(1);
            }
        }
        try (PreparedStatement st = c.prepareStatement(queries.counts(xmin, ghostRows.keptIn(),
                orphanRows.keptIn()))) {
            int i = 1;
            st.setLong(i++, identities);
            st.setLong(i++, profiles);
            i = ghostRows.bind(st, i, request);
            i = orphanRows.bind(st, i, request);
            st.setInt(i++, request.sampleSize());
            st.setDouble(i++, seconds(request.oldAfter()));
            st.setDouble(i++, seconds(request.recentWindow()));
            st.setString(i++, notFiring.orElse(null));
            st.setBoolean(i++, keepGhosts);
            st.setBoolean(i, keepOrphans);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                Ghosts ghosts = new Ghosts(
                        rs.getLong("total"), rs.getLong("old"), rs.getLong("recent"),
                        rs.getLong("without_created_at"),
                        Optional.ofNullable(rs.getTimestamp("oldest")).map(Timestamp::toInstant),
                        rs.getLong("excluded"),
                        sample(rs.getArray("sample_ids"), rs.getArray("sample_created")), rs.getLong("deleted"));
                Orphans orphans = new Orphans(rs.getLong("unhandled"), rs.getLong("soft_deleted"));
                return new Counts(rs.getLong("identities"), rs.getLong("profiles"), ghosts, orphans,
                        window(rs, notFiring.isPresent(), xmin),
                        keepGhosts || keepOrphans ? Optional.of(keptRows(rs)) : Optional.empty());
            }
        }
    }

    /** The rows the counts query returned with {@code keep}: in no particular order, each side's arrays aligned. */
    private static KeptRows keptRows(ResultSet rs) throws SQLException {
        List<KeptRows.IdentityRow> identities = new ArrayList<>();
        Array ids = rs.getArray("kept_ghost_ids");
        if (ids != null) {
            String[] id = (String[]) ids.getArray();
            Timestamp[] created = (Timestamp[]) rs.getArray("kept_ghost_created").getArray();
            Boolean[] excluded = (Boolean[]) rs.getArray("kept_ghost_excluded").getArray();
            Boolean[] deleted = (Boolean[]) rs.getArray("kept_ghost_deleted").getArray();
            String[] xids = (String[]) rs.getArray("kept_ghost_xids").getArray();
            for (int i = 0; i < id.length; i++) {
                identities.add(new KeptRows.IdentityRow(id[i], Optional.ofNullable(created[i])
                        .map(Timestamp::toInstant), excluded[i], deleted[i], Optional.ofNullable(xids[i])));
            }
        }
        List<KeptRows.ProfileRow> profiles = new ArrayList<>();
        Array orphanIds = rs.getArray("kept_orphan_ids");
        if (orphanIds != null) {
            String[] id = (String[]) orphanIds.getArray();
            Boolean[] softDeleted = (Boolean[]) rs.getArray("kept_orphan_soft_deleted").getArray();
            for (int i = 0; i < id.length; i++) {
                profiles.add(new KeptRows.ProfileRow(id[i], softDeleted[i]));
            }
        }
        return new KeptRows(identities, profiles);
    }

    private static GhostWindow window(ResultSet rs, boolean historyKnown, boolean xmin) throws SQLException {
        List<GhostWindow.HourCount> hours = new ArrayList<>();
        Array starts = rs.getArray("hour_starts");
        if (starts != null) {
            Timestamp[] at = (Timestamp[]) starts.getArray();
            Long[] n = (Long[]) rs.getArray("hour_counts").getArray();
            for (int i = 0; i < at.length; i++) {
                hours.add(new GhostWindow.HourCount(at[i].toInstant(), n[i]));
            }
        }
        Optional<GhostWindow.BulkLoads> bulk = xmin ? Optional.of(new GhostWindow.BulkLoads(
                rs.getLong("bulk_transactions"), rs.getLong("bulk_rows"), instant(rs, "bulk_first"),
                instant(rs, "bulk_last"))) : Optional.empty();
        return new GhostWindow(instant(rs, "oldest"), instant(rs, "newest"), hours, bulk,
                historyKnown ? OptionalLong.of(rs.getLong("while_not_firing")) : OptionalLong.empty());
    }

    private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(rs.getTimestamp(column)).map(Timestamp::toInstant);
    }

    private static List<Ghosts.GhostRow> sample(Array ids, Array created) throws SQLException {
        if (ids == null) {
            return List.of();
        }
        String[] idValues = (String[]) ids.getArray();
        Timestamp[] createdValues = (Timestamp[]) created.getArray();
        List<Ghosts.GhostRow> rows = new ArrayList<>(idValues.length);
        for (int i = 0; i < idValues.length; i++) {
            rows.add(new Ghosts.GhostRow(idValues[i],
                    Optional.ofNullable(createdValues[i]).map(Timestamp::toInstant)));
        }
        return rows;
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
