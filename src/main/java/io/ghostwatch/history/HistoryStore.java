package io.ghostwatch.history;

import io.agroal.api.AgroalDataSource;
import io.ghostwatch.canary.CanaryResult;
import io.ghostwatch.judge.Finding;
import io.ghostwatch.path.ContractRows;
import io.ghostwatch.path.ContractSelection;
import io.ghostwatch.path.ContractTally;
import io.ghostwatch.path.ProfileContract;
import io.ghostwatch.path.WriteWatch;
import io.ghostwatch.pooler.PoolerProbe;
import io.ghostwatch.pooler.Pooling;
import io.ghostwatch.run.CheckOutcome;
import io.ghostwatch.run.RunRecord;
import io.ghostwatch.signups.SignupActivity;
import io.ghostwatch.signups.SignupCounters;
import io.ghostwatch.signups.SignupLedger;
import io.ghostwatch.snapshot.Baseline;
import io.ghostwatch.snapshot.Snapshot;
import io.ghostwatch.snapshot.TableCounters;
import io.ghostwatch.snapshot.KeptRows;
import io.ghostwatch.snapshot.UnmatchedIds;
import io.ghostwatch.sql.SearchPath;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.flywaydb.core.Flyway;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The run history in ghostwatch's own schema of the target database: created and upgraded by Flyway on first
 * use, one row per run, pruned to the retention by each run. Writes happen in their own short transactions,
 * after and apart from the read-only snapshot.
 */
@ApplicationScoped
public class HistoryStore {

    @Inject
    Instance<AgroalDataSource> dataSource;

    @Inject
    Instance<Flyway> flyway;

    private volatile boolean migrated;

    public Connection connect() throws SQLException {
        return dataSource.get().getConnection();
    }

    /**
     * The newest migration this build ships (db/migration/V&lt;n&gt;__*.sql; HistoryMigrationsTest keeps the two equal).
     */
    static final int LATEST_VERSION = 12;

    /**
     * Creates or upgrades the schema once per process. A schema already at {@link #LATEST_VERSION} is read with
     * one query and Flyway is not run: Flyway sets the session's search_path to the schema while it works, which
     * behind a pooler in transaction mode would stay on a server session that the application's clients get
     * next, so creating or upgrading is refused there ({@link PoolerProbe}) and done once through a session.
     */
    public synchronized void migrate(HistorySettings settings) throws HistoryException {
        if (migrated) {
            return;
        }
        try {
            OptionalInt version = version(settings);
            if (version.isPresent() && version.getAsInt() == LATEST_VERSION) {
                migrated = true;
                return;
            }
            Pooling pooling = PoolerProbe.probe(this::connect);
            if (!pooling.sessionKept()) {
                throw new HistoryException("cannot create or upgrade the history in schema " + settings.schema()
                        + " (" + version.stream().mapToObj(v -> "at V" + v).findFirst().orElse("not created yet")
                        + ", this build needs V" + LATEST_VERSION + "): " + pooling.refusal("the migration"), null);
            }
        } catch (SQLException | RuntimeException e) {
            throw new HistoryException(HistoryErrors.explain(e, settings, "read"), e);
        }
        try {
            flyway.get().migrate();
            migrated = true;
        } catch (RuntimeException e) {
            throw new HistoryException(HistoryErrors.explain(e, settings, "create or upgrade"), e);
        }
    }

    /** The schema's newest applied migration; empty when Flyway has not created it. */
    private OptionalInt version(HistorySettings settings) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT version FROM " + settings.table("flyway_schema_history")
                     + " WHERE success AND version IS NOT NULL ORDER BY installed_rank DESC LIMIT 1")) {
            // Versions are whole numbers here; anything else is not this build's and goes to Flyway to judge.
            return rs.next() && rs.getString(1).matches("[0-9]{1,9}") ? OptionalInt.of(Integer.parseInt(
                    rs.getString(1))) : OptionalInt.empty();
        } catch (SQLException e) {
            if (UNDEFINED_TABLE.equals(e.getSQLState()) || INVALID_SCHEMA.equals(e.getSQLState())) {
                return OptionalInt.empty();
            }
            throw e;
        }
    }

    private static final String UNDEFINED_TABLE = "42P01";
    private static final String INVALID_SCHEMA = "3F000";

    /**
     * Records the run and prunes, in one transaction, what is older than the retentions: the target's runs and
     * notifications (delivered or not: an alert that old is no longer news, and payloads may hold e-mails), and
     * its finished fixes' audit rows (their repaired ids go with them).
     */
    public void record(HistorySettings settings, RunRecord run) throws HistoryException {
        String insert = "INSERT INTO " + settings.table("check_runs") + " (run_id, target, started_at, finished_at,"
                + " outcome, priority, identities, profiles, parity_delta, ghosts, ghosts_old, ghosts_recent,"
                + " ghosts_without_created_at, oldest_ghost_created_at, orphans, orphans_soft_deleted,"
                + " trigger_present, trigger_enabled, trigger_tgenabled, finding_codes, duration_ms, error)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        String prune = "DELETE FROM " + settings.table("check_runs") + " WHERE target = ? AND finished_at < ?";
        try (Connection c = connect()) {
            SearchPath.begin(c);
            try (PreparedStatement st = c.prepareStatement(insert)) {
                bind(st, run);
                st.executeUpdate();
            }
            prune(c, prune, run.target(), run.finishedAt().minus(settings.retention()));
            prune(c, "DELETE FROM " + settings.table("outbox") + " WHERE target = ? AND created_at < ?", run.target(),
                    run.finishedAt().minus(settings.retention()));
            // remediated_ids has no foreign key any more (V4): its rows go in the same statement as their audit row.
            prune(c, "WITH gone AS (DELETE FROM " + settings.table("remediations") + " WHERE target = ?"
                    + " AND started_at < ? AND outcome <> 'running' RETURNING id) DELETE FROM "
                    + settings.table("remediated_ids") + " WHERE remediation_id IN (SELECT id FROM gone)",
                    run.target(), run.finishedAt().minus(settings.auditRetention()));
            Optional<Baseline> baseline = run.outcome().flatMap(o -> o.snapshot().baseline());
            if (baseline.isPresent()) {
                saveBaseline(c, settings, run.target(), baseline.get());
            }
            Optional<ContractSelection> seen = run.outcome().flatMap(o -> o.evidence().contract())
                    .filter(ProfileContract::seenOnPath).flatMap(ProfileContract::selection);
            if (seen.isPresent()) {
                saveContract(c, settings, run.target(), seen.get(), run.finishedAt());
            }
            List<WriteWatch> watches = run.outcome().map(o -> o.evidence().writeWatches()).orElse(List.of());
            if (!watches.isEmpty()) {
                saveWriteWatches(c, settings, run.target(), watches, run.finishedAt());
            }
            List<ContractRows> counted = run.outcome().map(o -> o.evidence().contractRows()).orElse(List.of())
                    .stream().filter(r -> r.contract().discovered() && !r.carried() && r.tally().isPresent()).toList();
            if (!counted.isEmpty()) {
                saveContractCounts(c, settings, run.target(), counted);
            }
            Optional<SignupActivity> signups = run.outcome().flatMap(o -> o.evidence().signups());
            if (signups.isPresent()) {
                long canary = run.outcome().flatMap(CheckOutcome::canary).map(CanaryResult::identityInserts)
                        .orElse(0L);
                saveSignupLedger(c, settings, run.target(), signups.get().ledger(canary));
            }
            c.commit();
        } catch (SQLException e) {
            throw new HistoryException(HistoryErrors.explain(e, settings, "write"), e);
        }
    }

    /** Each watched table's counts now, and when it last grew, for the next check to compare with. */
    private static void saveWriteWatches(Connection c, HistorySettings settings, String target,
                                         List<WriteWatch> watches, Instant at) throws SQLException {
        String upsert = "INSERT INTO " + settings.table("path_writes") + " (target, written, identity_inserts,"
                + " table_inserts, grew_at_identity_inserts, grew_at, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (target, written) DO UPDATE SET identity_inserts = EXCLUDED.identity_inserts,"
                + " table_inserts = EXCLUDED.table_inserts,"
                + " grew_at_identity_inserts = EXCLUDED.grew_at_identity_inserts, grew_at = EXCLUDED.grew_at,"
                + " seen_at = EXCLUDED.seen_at";
        try (PreparedStatement st = c.prepareStatement(upsert)) {
            for (WriteWatch w : watches) {
                st.setString(1, target);
                st.setString(2, w.table());
                st.setLong(3, w.identityInserts());
                st.setLong(4, w.tableInserts());
                st.setObject(5, w.grewAtIdentityInserts().orElse(null), java.sql.Types.BIGINT);
                st.setTimestamp(6, w.grewAt().map(Timestamp::from).orElse(null));
                st.setTimestamp(7, Timestamp.from(at));
                st.addBatch();
            }
            st.executeBatch();
        }
    }

    /** Each discovered contract counted now, for the next checks to carry while the statistics allow. */
    private static void saveContractCounts(Connection c, HistorySettings settings, String target,
                                           List<ContractRows> counted) throws SQLException {
        String upsert = "INSERT INTO " + settings.table("contract_counts") + " (target, contract, shape, counted_at,"
                + " identity_inserts, identity_updates, identity_deletes, table_inserts, table_deletes, missing,"
                + " oldest_missing, sample, others_without, orphans, orphan_sample)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::text[], ?, ?, ?::text[])"
                + " ON CONFLICT (target, contract) DO UPDATE SET shape = EXCLUDED.shape,"
                + " counted_at = EXCLUDED.counted_at, identity_inserts = EXCLUDED.identity_inserts,"
                + " identity_updates = EXCLUDED.identity_updates, identity_deletes = EXCLUDED.identity_deletes,"
                + " table_inserts = EXCLUDED.table_inserts, table_deletes = EXCLUDED.table_deletes,"
                + " missing = EXCLUDED.missing, oldest_missing = EXCLUDED.oldest_missing, sample = EXCLUDED.sample,"
                + " others_without = EXCLUDED.others_without, orphans = EXCLUDED.orphans,"
                + " orphan_sample = EXCLUDED.orphan_sample";
        try (PreparedStatement st = c.prepareStatement(upsert)) {
            for (ContractRows r : counted) {
                ContractTally t = r.tally().orElseThrow();
                st.setString(1, target);
                st.setString(2, r.contract().name());
                st.setString(3, t.shape());
                st.setTimestamp(4, Timestamp.from(t.countedAt()));
                st.setLong(5, t.counts().identityInserts());
                st.setLong(6, t.counts().identityUpdates());
                st.setLong(7, t.counts().identityDeletes());
                st.setLong(8, t.counts().tableInserts());
                st.setLong(9, t.counts().tableDeletes());
                st.setLong(10, t.missing());
                st.setTimestamp(11, t.oldestMissing().map(Timestamp::from).orElse(null));
                st.setArray(12, c.createArrayOf("text", t.sample().toArray()));
                st.setLong(13, t.othersWithout());
                st.setLong(14, t.orphans());
                st.setArray(15, c.createArrayOf("text", t.orphanSample().toArray()));
                st.addBatch();
            }
            st.executeBatch();
        }
    }

    /** The profile contract as the signup path defines it now, for the runs after a trigger is dropped. */
    private static void saveContract(Connection c, HistorySettings settings, String target, ContractSelection s,
                                     Instant at) throws SQLException {
        String upsert = "INSERT INTO " + settings.table("profile_contract") + " (target, selects, aged_from,"
                + " made_on_update, written_by, seen_at) VALUES (?::text, ?::text, ?::text, ?, ?::text[], ?)"
                + " ON CONFLICT (target) DO UPDATE SET selects = EXCLUDED.selects, aged_from = EXCLUDED.aged_from,"
                + " made_on_update = EXCLUDED.made_on_update, written_by = EXCLUDED.written_by,"
                + " seen_at = EXCLUDED.seen_at";
        try (PreparedStatement st = c.prepareStatement(upsert)) {
            st.setString(1, target);
            st.setString(2, s.condition().text());
            st.setString(3, s.agedFrom().orElse(null));
            st.setBoolean(4, s.onUpdate());
            st.setArray(5, c.createArrayOf("text", s.triggers().toArray()));
            st.setTimestamp(6, Timestamp.from(at));
            st.executeUpdate();
        }
    }

    private static void prune(Connection c, String delete, String target, Instant before) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(delete)) {
            st.setString(1, target);
            st.setTimestamp(2, Timestamp.from(before));
            st.executeUpdate();
        }
    }

    /** The steady state's reference: what this full scan found, for the runs after it to compare with. */
    public static void saveBaseline(Connection c, HistorySettings settings, String target, Baseline b)
            throws SQLException {
        String upsert = "INSERT INTO " + settings.table("scan_state") + " (target, full_scan_at, server_start,"
                + " stats_reset, identity_inserts, identity_updates, identity_deletes, profile_inserts,"
                + " profile_updates, profile_deletes, trigger_state, identities, profiles, ghosts,"
                + " anonymous_excluded, orphans, orphans_soft_deleted, deleted_excluded, unmatched_kept,"
                + " identity_live, profile_live, identity_maintenance, profile_maintenance, identity_filenode,"
                + " profile_filenode, unmatched_rows_kept, row_shape)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (target) DO UPDATE SET full_scan_at = EXCLUDED.full_scan_at,"
                + " server_start = EXCLUDED.server_start, stats_reset = EXCLUDED.stats_reset,"
                + " identity_inserts = EXCLUDED.identity_inserts, identity_updates = EXCLUDED.identity_updates,"
                + " identity_deletes = EXCLUDED.identity_deletes, profile_inserts = EXCLUDED.profile_inserts,"
                + " profile_updates = EXCLUDED.profile_updates, profile_deletes = EXCLUDED.profile_deletes,"
                + " trigger_state = EXCLUDED.trigger_state, identities = EXCLUDED.identities,"
                + " profiles = EXCLUDED.profiles, ghosts = EXCLUDED.ghosts,"
                + " anonymous_excluded = EXCLUDED.anonymous_excluded, orphans = EXCLUDED.orphans,"
                + " orphans_soft_deleted = EXCLUDED.orphans_soft_deleted,"
                + " deleted_excluded = EXCLUDED.deleted_excluded, unmatched_kept = EXCLUDED.unmatched_kept,"
                + " identity_live = EXCLUDED.identity_live, profile_live = EXCLUDED.profile_live,"
                + " identity_maintenance = EXCLUDED.identity_maintenance,"
                + " profile_maintenance = EXCLUDED.profile_maintenance,"
                + " identity_filenode = EXCLUDED.identity_filenode, profile_filenode = EXCLUDED.profile_filenode,"
                + " unmatched_rows_kept = EXCLUDED.unmatched_rows_kept, row_shape = EXCLUDED.row_shape";
        TableCounters k = b.counters();
        try (PreparedStatement st = c.prepareStatement(upsert)) {
            int i = 1;
            st.setString(i++, target);
            st.setTimestamp(i++, Timestamp.from(b.fullScanAt()));
            st.setTimestamp(i++, Timestamp.from(k.serverStart()));
            st.setTimestamp(i++, k.statsReset().map(Timestamp::from).orElse(null));
            for (long v : new long[] {k.identityInserts(), k.identityUpdates(), k.identityDeletes(),
                    k.profileInserts(), k.profileUpdates(), k.profileDeletes()}) {
                st.setLong(i++, v);
            }
            st.setString(i++, b.trigger());
            for (long v : new long[] {b.identities(), b.profiles(), b.ghosts(), b.anonymousExcluded(), b.orphans(),
                    b.softDeletedOrphans(), b.deletedExcluded()}) {
                st.setLong(i++, v);
            }
            st.setBoolean(i++, b.unmatched().isPresent());
            for (long v : new long[] {k.identityLive(), k.profileLive(), k.identityMaintenance(),
                    k.profileMaintenance(), k.identityFilenode(), k.profileFilenode()}) {
                st.setLong(i++, v);
            }
            st.setBoolean(i++, b.unmatched().flatMap(UnmatchedIds::rows).isPresent());
            st.setString(i, b.shape());
            st.executeUpdate();
        }
        saveUnmatched(c, settings, target, b.unmatched().orElse(UnmatchedIds.NONE));
    }

    /** The unmatched ids the baseline keeps, replacing the last full scan's: one statement per side. */
    private static void saveUnmatched(Connection c, HistorySettings settings, String target, UnmatchedIds ids)
            throws SQLException {
        // Identities left out by design when kept (or before): the mark goes on with them to the new rows.
        List<String> leftOut = new java.util.ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT id FROM " + settings.table("scan_unmatched")
                + " WHERE target = ? AND side = 'identity' AND (excluded AND NOT deleted OR left_out_before)")) {
            st.setString(1, target);
            try (java.sql.ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    leftOut.add(rs.getString(1));
                }
            }
        }
        try (PreparedStatement st = c.prepareStatement("DELETE FROM " + settings.table("scan_unmatched")
                + " WHERE target = ?")) {
            st.setString(1, target);
            st.executeUpdate();
        }
        if (ids.rows().isEmpty()) { // ids without their rows: a steady check then reads every kept row again
            try (PreparedStatement st = c.prepareStatement("INSERT INTO " + settings.table("scan_unmatched")
                    + " (target, side, id) SELECT ?, ?, pg_catalog.unnest(?::text[])")) {
                for (String side : List.of("identity", "profile")) {
                    List<String> values = side.equals("identity") ? ids.identities() : ids.profiles();
                    if (!values.isEmpty()) {
                        st.setString(1, target);
                        st.setString(2, side);
                        st.setArray(3, c.createArrayOf("text", values.toArray()));
                        st.executeUpdate();
                    }
                }
            }
            return;
        }
        KeptRows rows = ids.rows().get();
        if (!rows.identities().isEmpty()) {
            try (PreparedStatement st = c.prepareStatement("INSERT INTO " + settings.table("scan_unmatched")
                    + " (target, side, id, created_at, excluded, deleted, xid) SELECT ?, 'identity', r.*"
                    + " FROM ROWS FROM (pg_catalog.unnest(?::text[]), pg_catalog.unnest(?::timestamptz[]),"
                    + " pg_catalog.unnest(?::boolean[]), pg_catalog.unnest(?::boolean[]), pg_catalog.unnest(?::text[]))"
                    + " AS r")) {
                List<KeptRows.IdentityRow> r = rows.identities();
                st.setString(1, target);
                st.setArray(2, c.createArrayOf("text", r.stream().map(KeptRows.IdentityRow::id).toArray()));
                // As ISO-8601 instants: a java.sql.Timestamp would be sent as local time in the JVM's zone.
                st.setArray(3, c.createArrayOf("text", r.stream().map(x -> x.createdAt().map(Instant::toString)
                        .orElse(null)).toArray()));
                st.setArray(4, c.createArrayOf("boolean", r.stream().map(KeptRows.IdentityRow::excluded).toArray()));
                st.setArray(5, c.createArrayOf("boolean", r.stream().map(KeptRows.IdentityRow::deleted).toArray()));
                st.setArray(6, c.createArrayOf("text", r.stream().map(x -> x.xid().orElse(null)).toArray()));
                st.executeUpdate();
            }
            if (!leftOut.isEmpty()) {
                try (PreparedStatement st = c.prepareStatement("UPDATE " + settings.table("scan_unmatched")
                        + " SET left_out_before = true WHERE target = ? AND side = 'identity' AND NOT excluded"
                        + " AND id = ANY (?::text[])")) {
                    st.setString(1, target);
                    st.setArray(2, c.createArrayOf("text", leftOut.toArray()));
                    st.executeUpdate();
                }
            }
        }
        if (!rows.profiles().isEmpty()) {
            try (PreparedStatement st = c.prepareStatement("INSERT INTO " + settings.table("scan_unmatched")
                    + " (target, side, id, soft_deleted) SELECT ?, 'profile', r.*"
                    + " FROM ROWS FROM (pg_catalog.unnest(?::text[]), pg_catalog.unnest(?::boolean[])) AS r")) {
                List<KeptRows.ProfileRow> r = rows.profiles();
                st.setString(1, target);
                st.setArray(2, c.createArrayOf("text", r.stream().map(KeptRows.ProfileRow::id).toArray()));
                st.setArray(3, c.createArrayOf("boolean", r.stream().map(KeptRows.ProfileRow::softDeleted)
                        .toArray()));
                st.executeUpdate();
            }
        }
    }

    /** Where the signup count stands after this check, for the next one to count from. */
    public static void saveSignupLedger(Connection c, HistorySettings settings, String target, SignupLedger l)
            throws SQLException {
        String upsert = "INSERT INTO " + settings.table("signup_state") + " (target, checked_at, server_start,"
                + " stats_reset, identity_inserts, identity_deletes, identity_live, identity_maintenance,"
                + " identity_filenode, canary_inserts, counting_since, last_commit_seen_at, rolled_back_since_commit,"
                + " failing) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (target) DO UPDATE SET checked_at = EXCLUDED.checked_at,"
                + " server_start = EXCLUDED.server_start, stats_reset = EXCLUDED.stats_reset,"
                + " identity_inserts = EXCLUDED.identity_inserts, identity_deletes = EXCLUDED.identity_deletes,"
                + " identity_live = EXCLUDED.identity_live, identity_maintenance = EXCLUDED.identity_maintenance,"
                + " identity_filenode = EXCLUDED.identity_filenode,"
                + " canary_inserts = EXCLUDED.canary_inserts, counting_since = EXCLUDED.counting_since,"
                + " last_commit_seen_at = EXCLUDED.last_commit_seen_at,"
                + " rolled_back_since_commit = EXCLUDED.rolled_back_since_commit, failing = EXCLUDED.failing";
        SignupCounters k = l.counters();
        try (PreparedStatement st = c.prepareStatement(upsert)) {
            int i = 1;
            st.setString(i++, target);
            st.setTimestamp(i++, Timestamp.from(l.checkedAt()));
            st.setTimestamp(i++, Timestamp.from(k.serverStart()));
            st.setTimestamp(i++, k.statsReset().map(Timestamp::from).orElse(null));
            for (long v : new long[] {k.inserts(), k.deletes(), k.live(), k.maintenance(), k.filenode(),
                    l.canaryInserts()}) {
                st.setLong(i++, v);
            }
            st.setTimestamp(i++, Timestamp.from(l.countingSince()));
            st.setTimestamp(i++, l.lastCommitSeenAt().map(Timestamp::from).orElse(null));
            st.setLong(i++, l.rolledBackSinceCommit());
            st.setBoolean(i, l.failing());
            st.executeUpdate();
        }
    }

    private static void bind(PreparedStatement st, RunRecord run) throws SQLException {
        Optional<CheckOutcome> o = run.outcome();
        Optional<Snapshot> s = o.map(CheckOutcome::snapshot);
        int i = 1;
        st.setObject(i++, run.runId());
        st.setString(i++, run.target());
        st.setTimestamp(i++, Timestamp.from(run.startedAt()));
        st.setTimestamp(i++, Timestamp.from(run.finishedAt()));
        st.setString(i++, run.checked() ? "checked" : "failed");
        st.setString(i++, o.map(x -> x.verdict().priority().name()).orElse(null));
        setLong(st, i++, s.map(Snapshot::identities));
        setLong(st, i++, s.map(Snapshot::profiles));
        setLong(st, i++, s.map(Snapshot::parityDelta));
        setLong(st, i++, s.map(x -> x.ghosts().total()));
        setLong(st, i++, s.map(x -> x.ghosts().old()));
        setLong(st, i++, s.map(x -> x.ghosts().recent()));
        setLong(st, i++, s.map(x -> x.ghosts().withoutCreatedAt()));
        st.setTimestamp(i++, s.flatMap(x -> x.ghosts().oldestCreatedAt()).map(Timestamp::from).orElse(null));
        setLong(st, i++, s.map(x -> x.orphans().unhandled()));
        setLong(st, i++, s.map(x -> x.orphans().softDeleted()));
        setBoolean(st, i++, s.map(x -> x.trigger().present()));
        setBoolean(st, i++, s.map(x -> x.trigger().fires()));
        st.setString(i++, s.flatMap(x -> x.trigger().tgenabled()).orElse(null));
        Optional<Object[]> codes = o.map(x -> x.verdict().findings().stream().map(Finding::code).toArray());
        st.setArray(i++, codes.isPresent() ? st.getConnection().createArrayOf("text", codes.get()) : null);
        st.setLong(i++, Duration.between(run.startedAt(), run.finishedAt()).toMillis());
        st.setString(i, run.failure().map(Throwable::getMessage).orElse(null));
    }

    /** The target's runs since a time, oldest first. */
    public List<RunRow> runs(HistorySettings settings, String target, Instant since) throws HistoryException {
        String sql = "SELECT run_id::text, started_at, finished_at, outcome, priority, ghosts, ghosts_old, orphans,"
                + " parity_delta, trigger_enabled, trigger_tgenabled, duration_ms, error FROM "
                + settings.table("check_runs") + " WHERE target = ? AND finished_at >= ? ORDER BY finished_at";
        List<RunRow> rows = new ArrayList<>();
        // Pinned: target = ? compares text with a varchar parameter (an operator on the session's path would match).
        try (Connection c = connect()) {
            SearchPath.inTransaction(c, () -> {
                try (PreparedStatement st = c.prepareStatement(sql)) {
                    st.setString(1, target);
                    st.setTimestamp(2, Timestamp.from(since));
                    try (ResultSet rs = st.executeQuery()) {
                        while (rs.next()) {
                            rows.add(new RunRow(rs.getString(1), rs.getTimestamp(2).toInstant(),
                                    rs.getTimestamp(3).toInstant(), rs.getString(4),
                                    Optional.ofNullable(rs.getString(5)), getLong(rs, 6), getLong(rs, 7),
                                    getLong(rs, 8), getLong(rs, 9), Optional.ofNullable((Boolean) rs.getObject(10)),
                                    Optional.ofNullable(rs.getString(11)), rs.getLong(12),
                                    Optional.ofNullable(rs.getString(13))));
                        }
                    }
                }
                return null;
            });
        } catch (SQLException e) {
            throw new HistoryException(HistoryErrors.explain(e, settings, "read"), e);
        }
        return rows;
    }

    private static Optional<Long> getLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(v);
    }

    private static void setLong(PreparedStatement st, int i, Optional<Long> v) throws SQLException {
        if (v.isPresent()) {
            st.setLong(i, v.get());
        } else {
            st.setNull(i, Types.BIGINT);
        }
    }

    private static void setBoolean(PreparedStatement st, int i, Optional<Boolean> v) throws SQLException {
        if (v.isPresent()) {
            st.setBoolean(i, v.get());
        } else {
            st.setNull(i, Types.BOOLEAN);
        }
    }
}
