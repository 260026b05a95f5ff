package io.ghostwatch.diagnose;

import io.ghostwatch.sql.Sql;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The tables the function writes, resolved the way a signup resolves them: through the function's fixed
 * search_path, else the signup role's login search_path (Supabase's auth server: {@code auth}), else the
 * server default. A target that does not exist (a renamed {@code profiles} table, supabase/supabase#7834),
 * or an unqualified {@code users} that lands on the identity table itself, fails every signup.
 */
final class TargetRelationRule implements CauseRule {

    private static final String RESOLVE = Sql.byName("""
            SELECT c.oid = pg_catalog.to_regclass(?)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = ? AND c.relname = ?
            """);

    @Override
    public void find(CauseContext ctx, List<Cause> causes) throws SQLException {
        if (ctx.plpgsql().isEmpty()) {
            return;
        }
        SyncFunction f = ctx.plpgsql().get();
        EffectivePath effective = EffectivePath.of(ctx);
        String path = effective.path();
        String pathSource = effective.source();
        List<String> schemas = effective.schemas();
        for (PlpgsqlText.Target target : PlpgsqlText.of(f.body()).writeTargets()) {
            List<String> candidates = target.schema().map(List::of).orElse(schemas);
            Optional<Boolean> resolved = Optional.empty();
            String where = null;
            for (String schema : candidates) {
                resolved = resolve(ctx, schema, target.name());
                if (resolved.isPresent()) {
                    where = schema + "." + target.name();
                    break;
                }
            }
            String evidence = target.verb() + " " + target.written() + " with search_path = " + path + " ("
                    + pathSource + ")";
            if (resolved.isEmpty()) {
                causes.add(Cause.heuristic(CauseCode.FUNCTION_TARGET_MISSING, Cause.Effect.FAILS_EVERY_SIGNUP, f.name()
                        + " writes to " + target.written() + ", which does not exist"
                        + (target.schema().isEmpty() ? " in " + (schemas.isEmpty() ? "an empty search_path"
                        : "schemas " + String.join(", ", schemas)) : "") + ": every signup fails", evidence,
                        "point " + f.name() + " at the profile table, schema-qualified (e.g. "
                                + ctx.schema().profileTable() + "), and fix its search_path: ALTER FUNCTION "
                                + f.name() + " SET search_path = '';"));
            } else if (resolved.get() && target.verb().startsWith("INSERT")) {
                causes.add(Cause.heuristic(CauseCode.FUNCTION_WRITES_IDENTITY_TABLE, Cause.Effect.FAILS_EVERY_SIGNUP,
                        f.name() + " inserts into " + target.written() + ", which resolves to " + where
                                + ", the identity table itself: every signup fails on the duplicate id", evidence,
                        "schema-qualify the profile table in " + f.name() + " (" + ctx.schema().profileTable()
                                + ") and fix its search_path: ALTER FUNCTION " + f.name() + " SET search_path = '';"));
            }
        }
    }

    private static Optional<Boolean> resolve(CauseContext ctx, String schema, String name) throws SQLException {
        try (PreparedStatement st = ctx.connection().prepareStatement(RESOLVE)) {
            st.setString(1, ctx.schema().identityTable().quoted());
            st.setString(2, schema);
            st.setString(3, name);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBoolean(1)) : Optional.empty();
            }
        }
    }
}
