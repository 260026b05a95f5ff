package io.ghostwatch.run;

import io.ghostwatch.path.ContractRows;
import io.ghostwatch.path.ContractSettings;
import io.ghostwatch.path.ContractTally;
import io.ghostwatch.path.SignupPath;
import io.ghostwatch.path.TableContract;
import io.ghostwatch.snapshot.TargetSchema;
import io.ghostwatch.sql.SearchPath;
import io.ghostwatch.sql.Sql;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Counts each contract besides the profile's: identities it takes, created (or due, for a row made on a later
 * update) within the window and longer ago than its grace, without a row keyed by their id. Declared contracts
 * are counted on every check (their grace passes with time alone); discovered ones carry their last count while
 * the statistics say no row that could change it moved ({@link ContractTally}), kept in history's
 * {@code contract_counts}. Each count in its own transaction with the search_path pinned, so one that cannot be
 * read (no SELECT on its table, the table dropped) is said for that contract and leaves the others alone.
 */
final class ContractReader {

    private static final String COUNTS = Sql.byName("""
            SELECT x.t, coalesce(pg_catalog.pg_stat_get_tuples_inserted(pg_catalog.to_regclass(x.t)), 0),
                   coalesce(pg_catalog.pg_stat_get_tuples_updated(pg_catalog.to_regclass(x.t)), 0),
                   coalesce(pg_catalog.pg_stat_get_tuples_deleted(pg_catalog.to_regclass(x.t)), 0),
                   pg_catalog.now()
            FROM pg_catalog.unnest(?::text[]) AS x(t)
            """);

    private ContractReader() {
    }

    /** Where counts are kept between checks, and how long one may be carried. */
    record Steady(HistoryTable.Where where, Duration interval) {
    }

    static List<ContractRows> read(Connection c, TargetSchema schema, ContractSettings settings,
                                   Optional<SignupPath> path, Optional<Steady> steady) throws SQLException {
        List<TableContract> contracts = new ArrayList<>();
        settings.declared().forEach(d -> contracts.add(TableContract.declared(d)));
        if (path.isPresent()) {
            // A condition not written in SQL cannot be counted per identity: its write rate is watched instead.
            TableContract.discovered(path.get(), schema.profileTable().schema().name(),
                    schema.profileTable().name().name(), settings.declared()).stream()
                    .filter(settings.discovered()::counts).forEach(contracts::add);
        }
        if (contracts.isEmpty()) {
            return List.of();
        }
        // The statistics first, so that every row they count is in a count made after them.
        Map<String, long[]> counts = new HashMap<>();
        Map<String, ContractTally> kept = new HashMap<>();
        Instant now = SearchPath.inTransaction(c, () -> {
            Instant read = readCounts(c, schema, contracts, counts);
            if (steady.isPresent() && steady.get().where().readable(c, "contract_counts")) {
                readKept(c, steady.get().where(), kept);
            }
            return read;
        });
        List<ContractRows> rows = new ArrayList<>();
        for (TableContract t : contracts) {
            ContractTally.Counts at = counts(schema, t, counts);
            if (t.discovered() && steady.isPresent() && ContractTally.recountBecause(t,
                    Optional.ofNullable(kept.get(t.name())), at, now, steady.get().interval()).isEmpty()) {
                rows.add(ContractRows.carried(t, kept.get(t.name())));
                continue;
            }
            try {
                rows.add(SearchPath.inTransaction(c, () -> count(c, schema, t, settings.window(), at)));
            } catch (SQLException e) {
                rows.add(ContractRows.unknown(t, Sql.firstLine(e) + " (SQLSTATE " + e.getSQLState() + "); "
                        + fix(t, e.getSQLState())));
            }
        }
        return rows;
    }

    /** What to do about a count that failed, by its SQLSTATE: a grant, the declaration, or the key's type. */
    private static String fix(TableContract t, String state) {
        String declared = t.discovered() ? "" : ", or correct ghostwatch.contracts.declared";
        if ("42883".equals(state) || "42804".equals(state)) {
            return t.where() + "." + t.keyColumn() + " is not of the identity id's type, so the two cannot be"
                    + " compared by an index: give the column the id's type" + declared;
        }
        if ("42P01".equals(state) || "42703".equals(state) || "3F000".equals(state)) {
            return "the table or its key column is not there" + declared;
        }
        return "grant SELECT (" + t.quotedKey() + ") ON " + t.quotedTable() + " to the monitoring role" + declared;
    }

    /** The statistics' counts of the identity table and each contract's table, and the database's clock. */
    private static Instant readCounts(Connection c, TargetSchema schema, List<TableContract> contracts,
                                      Map<String, long[]> counts) throws SQLException {
        List<String> names = new ArrayList<>();
        names.add(schema.identityTable().quoted());
        contracts.forEach(t -> names.add(t.quotedTable()));
        Instant now = null;
        try (PreparedStatement st = c.prepareStatement(COUNTS)) {
            st.setArray(1, c.createArrayOf("text", names.toArray()));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), new long[]{rs.getLong(2), rs.getLong(3), rs.getLong(4)});
                    now = rs.getTimestamp(5).toInstant();
                }
            }
        }
        return now;
    }

    private static ContractTally.Counts counts(TargetSchema schema, TableContract t, Map<String, long[]> counts) {
        long[] identity = counts.getOrDefault(schema.identityTable().quoted(), new long[3]);
        long[] table = counts.getOrDefault(t.quotedTable(), new long[3]);
        return new ContractTally.Counts(identity[0], identity[1], identity[2], table[0], table[2]);
    }

    private static void readKept(Connection c, HistoryTable.Where where, Map<String, ContractTally> kept)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT contract, shape, counted_at, identity_inserts,"
                + " identity_updates, identity_deletes, table_inserts, table_deletes, missing, oldest_missing,"
                + " sample, others_without, orphans, orphan_sample FROM " + where.table()
                + " WHERE target OPERATOR(pg_catalog.=) ?::text")) {
            st.setString(1, where.target());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Timestamp oldest = rs.getTimestamp(10);
                    kept.put(rs.getString(1), new ContractTally(rs.getString(2), rs.getTimestamp(3).toInstant(),
                            new ContractTally.Counts(rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7),
                                    rs.getLong(8)), rs.getLong(9), Optional.ofNullable(oldest)
                            .map(Timestamp::toInstant), texts(rs.getArray(11)), rs.getLong(12), rs.getLong(13),
                            texts(rs.getArray(14))));
                }
            }
        }
    }

    private static List<String> texts(Array a) throws SQLException {
        return a == null ? List.of() : Arrays.stream((Object[]) a.getArray()).map(String::valueOf).toList();
    }

    /**
     * One contract's count ({@link ContractMissing#count}): the identities of the window past the grace without a
     * row, those it takes apart from those it does not, and the table's rows whose key names no identity.
     */
    private static ContractRows count(Connection c, TargetSchema s, TableContract t, Duration window,
                                      ContractTally.Counts at) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(ContractMissing.count(s, t))) {
            List<String> intervals = ContractMissing.intervals(t, window);
            st.setString(1, intervals.get(0));
            st.setString(2, intervals.get(1));
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                Optional<Instant> oldest = Optional.ofNullable(rs.getTimestamp(2)).map(Timestamp::toInstant);
                List<String> sample = texts(rs.getArray(3));
                ContractTally tally = new ContractTally(t.shape(), rs.getTimestamp(5).toInstant(), at, rs.getLong(1),
                        oldest, sample, rs.getLong(4), rs.getLong(6), texts(rs.getArray(7)));
                return new ContractRows(t, tally.missing(), oldest, sample, Optional.empty(), Optional.of(tally),
                        false);
            }
        }
    }
}
