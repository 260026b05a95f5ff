package io.ghostwatch.diagnose;

import io.ghostwatch.sql.Sql;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Columns the function's INSERT names that its table lacks (dropped or renamed: SQLSTATE 42703), the table
 * resolved as a signup resolves it. Every signup then fails.
 */
final class FunctionColumnRule implements CauseRule {

    /** The first schema of the candidates holding a table of that name, and which of the columns it lacks. */
    private static final String QUERY = """
            SELECT s.nspname, ARRAY(SELECT col FROM pg_catalog.unnest(?::text[]) col
                                    WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                                                      WHERE a.attrelid OPERATOR(pg_catalog.=) c.oid
                                                        AND a.attname OPERATOR(pg_catalog.=) col
                                                        AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped))
            FROM pg_catalog.unnest(?::text[]) WITH ORDINALITY AS s(nspname, ord)
            JOIN pg_catalog.pg_namespace n ON n.nspname OPERATOR(pg_catalog.=) s.nspname
            JOIN pg_catalog.pg_class c ON c.relnamespace OPERATOR(pg_catalog.=) n.oid
                                      AND c.relname OPERATOR(pg_catalog.=) ?::text
            ORDER BY s.ord
            LIMIT 1
            """;

    @Override
    public void find(CauseContext ctx, List<Cause> causes) throws SQLException {
        if (ctx.plpgsql().isEmpty()) {
            return;
        }
        SyncFunction f = ctx.plpgsql().get();
        EffectivePath path = EffectivePath.of(ctx);
        for (PlpgsqlText.InsertColumns insert : PlpgsqlText.of(f.body()).insertColumns()) {
            List<String> candidates = insert.target().schema().map(List::of).orElse(path.schemas());
            Optional<String> schema = Optional.empty();
            List<String> missing = new ArrayList<>();
            try (PreparedStatement st = ctx.connection().prepareStatement(QUERY)) {
                st.setArray(1, ctx.connection().createArrayOf("text", insert.columns().toArray()));
                st.setArray(2, ctx.connection().createArrayOf("text", candidates.toArray()));
                st.setString(3, insert.target().name());
                try (ResultSet rs = st.executeQuery()) {
                    if (rs.next()) {
                        schema = Optional.of(rs.getString(1));
                        missing.addAll(List.of((String[]) rs.getArray(2).getArray()));
                    }
                }
            }
            if (schema.isEmpty() || missing.isEmpty()) {
                continue; // a missing table is TargetRelationRule's finding
            }
            String table = schema.get() + "." + insert.target().name();
            causes.add(Cause.heuristic(CauseCode.FUNCTION_COLUMN_MISSING, Cause.Effect.FAILS_EVERY_SIGNUP, f.name()
                            + " inserts into column" + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing)
                            + " of " + table + ", which " + (missing.size() == 1 ? "it does" : "they do")
                            + " not have (dropped or renamed): every signup fails with SQLSTATE 42703",
                    "INSERT INTO " + insert.target().written() + " (" + String.join(", ", insert.columns())
                            + ") with search_path = " + path.path() + " (" + path.source() + ")",
                    "put the column back (ALTER TABLE " + Sql.quoteIdent(schema.get()) + "."
                            + Sql.quoteIdent(insert.target().name())
                            + " ADD COLUMN …) or change " + f.name() + " to the table's current columns"));
        }
    }
}
