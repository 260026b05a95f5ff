package io.ghostwatch.run;

import io.ghostwatch.path.ContractRows;
import io.ghostwatch.path.DeclaredContract;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Counts each declared contract's missing rows: identities (the anonymous and deleted rules as the profile's)
 * created within the window and longer ago than the contract's grace, without a row keyed by their id. Each in
 * its own transaction with the search_path pinned, so one that cannot be read (no SELECT on its table, the
 * table dropped) is said for that contract and leaves the others and the check alone. Reads every identity of the
 * window: opt-in, and bounded by the statement timeout.
 */
final class DeclaredContractReader {

    private static final int SAMPLE = 5;

    private DeclaredContractReader() {
    }

    static List<ContractRows> read(Connection c, TargetSchema schema, List<DeclaredContract> contracts,
                                   Duration window) {
        List<ContractRows> rows = new ArrayList<>();
        for (DeclaredContract d : contracts) {
            try {
                rows.add(SearchPath.inTransaction(c, () -> count(c, schema, d, window)));
            } catch (SQLException e) {
                rows.add(ContractRows.unknown(d, Sql.firstLine(e) + " (SQLSTATE " + e.getSQLState() + "); grant"
                        + " SELECT (" + d.keyColumn().quoted() + ") ON " + d.table().quoted() + " to the monitoring"
                        + " role, or correct ghostwatch.contracts.declared"));
            }
        }
        return rows;
    }

    private static ContractRows count(Connection c, TargetSchema s, DeclaredContract d, Duration window)
            throws SQLException {
        String created = "i." + s.identityCreatedAt().quoted();
        String sql = "SELECT count(*), min(" + created + "), (array_agg(i." + s.identityId().quoted()
                + "::text ORDER BY " + created + "))[1:" + SAMPLE + "]"
                + " FROM " + s.identityRows().quoted() + " i"
                + " WHERE " + created + " < now() - ?::interval AND " + created + " >= now() - ?::interval"
                + " AND NOT " + s.excludedIdentity("i")
                + " AND NOT EXISTS (SELECT 1 FROM " + d.table().quoted() + " t WHERE t." + d.keyColumn().quoted()
                + " = i." + s.identityId().quoted() + ")";
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, d.grace().toSeconds() + " seconds");
            st.setString(2, window.toSeconds() + " seconds");
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                Timestamp oldest = rs.getTimestamp(2);
                Array sample = rs.getArray(3);
                return new ContractRows(d, rs.getLong(1), Optional.ofNullable(oldest).map(Timestamp::toInstant),
                        sample == null ? List.of() : Arrays.stream((Object[]) sample.getArray())
                                .map(String::valueOf).toList(), Optional.empty());
            }
        }
    }
}
