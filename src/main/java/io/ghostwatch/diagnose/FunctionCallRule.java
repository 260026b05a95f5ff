package io.ghostwatch.diagnose;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Functions the sync function calls that its search_path does not reach: e.g. an extension's function living
 * in schema {@code extensions}, called unqualified after the function got {@code SET search_path = ''} (as
 * Supabase's linter advises). Every signup then fails with SQLSTATE 42883. A call is matched by name and number
 * of arguments (defaults and VARIADIC allowed for); a name found nowhere is left alone (it may be SQL syntax).
 */
final class FunctionCallRule implements CauseRule {

    private static final String SCHEMAS = """
            SELECT DISTINCT n.nspname::text
            FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) p.pronamespace
            WHERE p.proname OPERATOR(pg_catalog.=) ?::text
              AND p.prokind OPERATOR(pg_catalog.=) ANY (ARRAY['f', 'a', 'w']::"char"[])
              AND (p.pronargs OPERATOR(pg_catalog.=) ?::int
                   OR ?::int BETWEEN (p.pronargs OPERATOR(pg_catalog.-) p.pronargdefaults) AND p.pronargs
                   OR (p.provariadic OPERATOR(pg_catalog.<>) 0
                       AND ?::int OPERATOR(pg_catalog.>=) (p.pronargs OPERATOR(pg_catalog.-) 1)))
            ORDER BY 1
            """;

    @Override
    public void find(CauseContext ctx, List<Cause> causes) throws SQLException {
        if (ctx.plpgsql().isEmpty()) {
            return;
        }
        SyncFunction f = ctx.plpgsql().get();
        EffectivePath path = EffectivePath.of(ctx);
        List<String> reachable = path.functionSchemas();
        for (PlpgsqlText.Call call : PlpgsqlText.of(f.body()).calls()) {
            List<String> found = new ArrayList<>();
            try (PreparedStatement st = ctx.connection().prepareStatement(SCHEMAS)) {
                st.setString(1, call.name());
                for (int i = 2; i <= 4; i++) {
                    st.setInt(i, call.arguments());
                }
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        found.add(rs.getString(1));
                    }
                }
            }
            if (found.isEmpty()) {
                continue;
            }
            boolean resolves = call.schema().map(found::contains).orElseGet(() -> reachable.stream()
                    .anyMatch(found::contains));
            if (resolves) {
                continue;
            }
            String qualified = found.get(0) + "." + call.name();
            causes.add(Cause.heuristic(CauseCode.FUNCTION_CALL_UNRESOLVED, Cause.Effect.FAILS_EVERY_SIGNUP, f.name()
                            + " calls " + call.written() + ", which " + (call.schema().isPresent()
                            ? "does not exist in schema " + call.schema().get()
                            : "its search_path (" + (path.schemas().isEmpty() ? "empty" : String.join(", ",
                            path.schemas())) + ", and pg_catalog) does not reach") + "; it exists in "
                            + String.join(", ", found) + ": every signup fails with SQLSTATE 42883",
                    call.written() + " with search_path = " + path.path() + " (" + path.source() + ")",
                    "schema-qualify the call in " + f.name() + " (" + qualified + "(…)), or add "
                            + found.get(0) + " to its search_path: ALTER FUNCTION " + f.name() + " SET search_path"
                            + " = '" + found.get(0) + "';"));
        }
    }
}
