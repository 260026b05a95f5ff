package io.ghostwatch.run;

import io.ghostwatch.path.TakenSince;
import io.ghostwatch.snapshot.TargetSchema;
import io.ghostwatch.sql.PgArrays;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which of the identities the last full scans kept as left out by design ({@code scan_unmatched}: excluded and not
 * deleted, or marked as such earlier) are ghosts now: read by primary key, as many as were kept (at most
 * ghostwatch.steady-state-max-unmatched). Empty without history or kept rows.
 */
final class TakenSinceReader {

    private static final int SAMPLE = 5;

    private TakenSinceReader() {
    }

    static Optional<TakenSince> read(Connection c, TargetSchema s, HistoryTable.Where kept) throws SQLException {
        if (!kept.readable(c, "scan_unmatched") || !hasMark(c, kept)) {
            return Optional.empty();
        }
        List<String> leftOut = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT id FROM " + kept.table() + " WHERE target"
                + " OPERATOR(pg_catalog.=) ?::text AND side OPERATOR(pg_catalog.=) 'identity'::text"
                + " AND (excluded AND NOT deleted OR left_out_before)")) {
            st.setString(1, kept.target());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    leftOut.add(rs.getString(1));
                }
            }
        }
        if (leftOut.isEmpty()) {
            return Optional.of(new TakenSince(0, List.of()));
        }
        String iid = s.identityId().quoted();
        List<String> taken = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT i." + iid + "::text FROM " + s.identityRows()
                .quoted() + " i WHERE i." + iid + " = ANY (?) AND NOT " + s.leftOutByDesign("i") + " AND NOT "
                + s.deletedIdentity("i") + " AND NOT EXISTS (SELECT 1 FROM " + s.profileTable().quoted() + " p"
                + " WHERE p." + s.profileId().quoted() + " = i." + iid + ") ORDER BY 1")) {
            st.setObject(1, PgArrays.literal(leftOut), Types.OTHER);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    taken.add(rs.getString(1));
                }
            }
        }
        return Optional.of(new TakenSince(taken.size(), taken.subList(0, Math.min(SAMPLE, taken.size()))));
    }

    /** The history is at V12, which keeps the mark (an earlier table has no such column yet: nothing to read). */
    private static boolean hasMark(Connection c, HistoryTable.Where kept) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a"
                + " WHERE a.attrelid OPERATOR(pg_catalog.=) pg_catalog.to_regclass(?::text)"
                + " AND a.attname OPERATOR(pg_catalog.=) 'left_out_before'::name AND NOT a.attisdropped)")) {
            st.setString(1, kept.table());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
