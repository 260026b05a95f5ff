package io.ghostwatch.diagnose;

import io.ghostwatch.sql.Sql;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The profile insert runs as the function's owner when it is SECURITY DEFINER, else as whoever signs up: that
 * role needs USAGE on the profile table's schema and INSERT on the table, or every signup fails
 * ("permission denied for schema public", supabase/supabase#17186 and #21825). EXECUTE on the function is not
 * needed: PostgreSQL checks it only at CREATE TRIGGER.
 */
final class InsertPrivilegeRule implements CauseRule {

    private static final String QUERY = Sql.byName("""
            SELECT pg_catalog.has_schema_privilege(r.oid, ?, 'USAGE'),
                   pg_catalog.has_table_privilege(r.oid, pg_catalog.to_regclass(?), 'INSERT')
            FROM pg_roles r WHERE r.rolname = ?
            """);

    @Override
    public void find(CauseContext ctx, List<Cause> causes) throws SQLException {
        if (ctx.function().isEmpty()) {
            return;
        }
        SyncFunction f = ctx.function().get();
        if (!f.securityDefiner()) {
            causes.add(Cause.certain(CauseCode.FUNCTION_NOT_SECURITY_DEFINER, Cause.Effect.LEAVES_GHOSTS, f.name()
                    + " runs with the privileges of whoever signs up" + ctx.signup().map(s -> " (" + s.role() + ")")
                    .orElse(""), "prosecdef = false, language " + f.language() + ", owner " + f.owner(),
                    "ALTER FUNCTION " + f.name() + " SECURITY DEFINER; (its owner " + f.owner()
                            + " must be able to insert profiles)"));
        }
        Optional<String> role = ctx.inserter();
        if (role.isEmpty()) {
            return;
        }
        String schemaName = ctx.schema().profileTable().schema().name();
        String table = ctx.schema().profileTable().quoted();
        List<String> missing = new ArrayList<>();
        List<String> grants = new ArrayList<>();
        String grantee = Sql.quoteIdent(role.get());
        try (PreparedStatement st = ctx.connection().prepareStatement(QUERY)) {
            st.setString(1, schemaName);
            st.setString(2, table);
            st.setString(3, role.get());
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return;
                }
                if (!rs.getBoolean(1)) {
                    missing.add("USAGE on schema " + schemaName);
                    grants.add("GRANT USAGE ON SCHEMA " + ctx.schema().profileTable().schema().quoted() + " TO "
                            + grantee + ";");
                }
                if (!rs.getBoolean(2)) {
                    missing.add("INSERT on " + ctx.schema().profileTable());
                    grants.add("GRANT INSERT ON " + table + " TO " + grantee + ";");
                }
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        if (f.securityDefiner()) {
            causes.add(Cause.certain(CauseCode.FUNCTION_OWNER_CANNOT_INSERT_PROFILE, Cause.Effect.FAILS_EVERY_SIGNUP,
                    f.name() + " is SECURITY DEFINER and its owner " + role.get() + " lacks "
                            + String.join(" and ", missing) + ": every signup fails",
                    "owner " + role.get() + ": " + String.join(", ", missing) + " = false",
                    String.join(" ", grants) + " (or make a role that has them own the function)"));
        } else {
            causes.add(Cause.certain(CauseCode.SIGNUP_ROLE_CANNOT_INSERT_PROFILE, Cause.Effect.FAILS_EVERY_SIGNUP,
                    role.get() + " signs users up and lacks " + String.join(" and ", missing) + ", and " + f.name()
                            + " runs as it: every signup fails",
                    role.get() + ": " + String.join(", ", missing) + " = false",
                    "ALTER FUNCTION " + f.name() + " SECURITY DEFINER; (owned by a role that may insert), or "
                            + String.join(" ", grants)));
        }
    }
}
