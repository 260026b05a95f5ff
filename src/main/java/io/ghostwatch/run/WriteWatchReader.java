package io.ghostwatch.run;

import io.ghostwatch.path.SignupPath;
import io.ghostwatch.path.WriteWatch;
import io.ghostwatch.snapshot.TargetSchema;
import io.ghostwatch.sql.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the write rates of the tables the signup path writes on INSERT: their and the identity table's
 * cumulative insert counts now (statistics only: no table is read), against what the last check kept in history
 * ({@code path_writes}). Without history there is nothing to compare with, so nothing is watched.
 */
final class WriteWatchReader {

    private static final String COUNTS = Sql.byName("""
            SELECT x.t, coalesce(pg_catalog.pg_stat_get_tuples_inserted(pg_catalog.to_regclass(x.t)), 0)
            FROM pg_catalog.unnest(?::text[]) AS x(t)
            """);

    private WriteWatchReader() {
    }

    static List<WriteWatch> read(Connection c, TargetSchema schema, SignupPath path, HistoryTable.Where history, Instant now)
            throws SQLException {
        List<WriteWatch.Watched> watched = WriteWatch.watched(path, schema.profileTable().schema().name(),
                schema.profileTable().name().name());
        if (watched.isEmpty()) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        names.add(schema.identityTable().quoted());
        watched.forEach(w -> names.add(Sql.quoteIdent(w.schema()) + "." + Sql.quoteIdent(w.table())));
        Map<String, Long> counts = new HashMap<>();
        try (PreparedStatement st = c.prepareStatement(COUNTS)) {
            st.setArray(1, c.createArrayOf("text", names.toArray()));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        Map<String, WriteWatch.Kept> kept = new HashMap<>();
        // Before the history's first migration to V10 there is nothing kept: the watch starts with this check.
        if (HistoryTable.readable(c, history.schema(), "path_writes")) {
            readKept(c, history, kept);
        }
        long identities = counts.getOrDefault(schema.identityTable().quoted(), 0L);
        List<WriteWatch> watches = new ArrayList<>();
        for (int i = 0; i < watched.size(); i++) {
            WriteWatch.Watched w = watched.get(i);
            watches.add(WriteWatch.advance(w, Optional.ofNullable(kept.get(w.where())), identities,
                    counts.getOrDefault(names.get(i + 1), 0L), now));
        }
        return watches;
    }

    private static void readKept(Connection c, HistoryTable.Where history, Map<String, WriteWatch.Kept> kept)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT written, identity_inserts, table_inserts,"
                + " grew_at_identity_inserts, grew_at FROM " + history.table()
                + " WHERE target OPERATOR(pg_catalog.=) ?::text")) {
            st.setString(1, history.target());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    long grewAt = rs.getLong(4);
                    Optional<Long> grew = rs.wasNull() ? Optional.empty() : Optional.of(grewAt);
                    Timestamp seen = rs.getTimestamp(5);
                    kept.put(rs.getString(1), new WriteWatch.Kept(rs.getLong(2), rs.getLong(3), grew,
                            Optional.ofNullable(seen).map(Timestamp::toInstant)));
                }
            }
        }
    }
}
