package io.ghostwatch.diagnose;

import io.ghostwatch.sql.Sql;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Unique profile columns (besides the key) that a ghost's identity collides on: the trigger's insert, and a
 * backfill, fail on them. Reads data, not only the catalog, so it runs only while ghosts exist.
 */
final class UniqueConflictRule implements CauseRule {

    private static final String COLUMNS = Sql.byName("""
            SELECT a.attname FROM pg_index i
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
            WHERE i.indrelid = pg_catalog.to_regclass(?) AND i.indisunique AND NOT i.indisprimary AND i.indnatts = 1
              AND EXISTS (SELECT 1 FROM pg_attribute b WHERE b.attrelid = pg_catalog.to_regclass(?)
                          AND b.attname = a.attname AND NOT b.attisdropped)
            """);

    @Override
    public void find(CauseContext ctx, List<Cause> causes) throws SQLException {
        if (ctx.snapshot().ghosts().total() == 0) {
            return;
        }
        String identity = ctx.schema().identityTable().quoted();
        String profile = ctx.schema().profileTable().quoted();
        List<String> columns = new ArrayList<>();
        try (PreparedStatement st = ctx.connection().prepareStatement(COLUMNS)) {
            st.setString(1, profile);
            st.setString(2, identity);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
        }
        for (String column : columns) {
            String col = Sql.quoteIdent(column);
            String sql = "SELECT count(*) FROM " + identity + " i WHERE NOT EXISTS (SELECT 1 FROM " + profile
                    + " p WHERE p." + ctx.schema().profileId().quoted() + " = i." + ctx.schema().identityId().quoted()
                    + ") AND EXISTS (SELECT 1 FROM " + profile + " q WHERE q." + col + " = i." + col + ")";
            try (PreparedStatement st = ctx.connection().prepareStatement(sql); ResultSet rs = st.executeQuery()) {
                rs.next();
                long conflicts = rs.getLong(1);
                if (conflicts > 0) {
                    causes.add(Cause.certain(CauseCode.PROFILE_UNIQUE_CONFLICT, Cause.Effect.LEAVES_GHOSTS, conflicts
                            + (conflicts == 1 ? " ghost has a value" : " ghosts have values") + " of " + column
                            + " that another profile already holds: the trigger's"
                            + " insert (and a backfill) hit the unique constraint on " + ctx.schema().profileTable()
                            + "(" + column + ")", conflicts + " colliding identities", "resolve the duplicates"
                            + " (merge or change the value), then backfill; a backfill fails on them"));
                }
            }
        }
    }
}
