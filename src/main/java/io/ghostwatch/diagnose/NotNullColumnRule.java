package io.ghostwatch.diagnose;

import io.ghostwatch.sql.Sql;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.regex.Pattern;

/** NOT NULL profile columns without a default that the function's text never names: every insert fails. */
final class NotNullColumnRule implements CauseRule {

    private static final String QUERY = Sql.byName("""
            SELECT attname FROM pg_attribute
            WHERE attrelid = pg_catalog.to_regclass(?) AND attnum > 0 AND NOT attisdropped AND attnotnull
              AND NOT atthasdef
              AND attidentity = '' AND attgenerated = ''
            ORDER BY attnum
            """);

    @Override
    public void find(CauseContext ctx, List<Cause> causes) throws SQLException {
        if (ctx.function().isEmpty()) {
            return;
        }
        String body = ctx.function().get().body();
        try (PreparedStatement st = ctx.connection().prepareStatement(QUERY)) {
            st.setString(1, ctx.schema().profileTable().quoted());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    String column = rs.getString(1);
                    if (!Pattern.compile("(?i)\\b" + Pattern.quote(column) + "\\b").matcher(body).find()) {
                        causes.add(Cause.heuristic(CauseCode.PROFILE_NOT_NULL_COLUMN_UNSET, Cause.Effect.FAILS_EVERY_SIGNUP,
                                ctx.schema().profileTable() + "." + column + " is NOT NULL without a default and "
                                        + ctx.function().get().name() + " never names it: every profile insert fails",
                                "attnotnull, no default, not in the function's text",
                                "ALTER TABLE " + ctx.schema().profileTable().quoted() + " ALTER COLUMN "
                                        + io.ghostwatch.sql.Sql.quoteIdent(column)
                                        + " SET DEFAULT …; or set it in the function"));
                    }
                }
            }
        }
    }
}
