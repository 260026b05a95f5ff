package io.ghostwatch.diagnose;

import io.ghostwatch.sql.Sql;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Row-level security on the profile table that applies to the role the insert runs as (not a superuser, no
 * BYPASSRLS, and not the table's owner unless FORCE ROW LEVEL SECURITY) with no permissive INSERT policy
 * for that role: row security denies by default, so every signup fails ("new row violates row-level security
 * policy"). When a policy exists, whether it admits the trigger's row is for the canary to prove.
 */
final class RowLevelSecurityRule implements CauseRule {

    private static final String QUERY = Sql.byName("""
            SELECT t.relrowsecurity, t.relforcerowsecurity, t.relowner = r.oid, r.rolsuper OR r.rolbypassrls,
                   EXISTS (SELECT 1 FROM pg_policy p
                           WHERE p.polrelid = t.oid AND p.polpermissive AND p.polcmd IN ('a', '*')
                             AND (0::oid = ANY (p.polroles)
                                  OR EXISTS (SELECT 1 FROM unnest(p.polroles) pr
                                             WHERE pg_has_role(r.oid, pr, 'MEMBER')))),
                   pg_get_userbyid(t.relowner)
            FROM pg_class t, pg_roles r
            WHERE t.oid = pg_catalog.to_regclass(?) AND r.rolname = ?
            """);

    @Override
    public void find(CauseContext ctx, List<Cause> causes) throws SQLException {
        Optional<String> role = ctx.inserter();
        if (role.isEmpty()) {
            return;
        }
        try (PreparedStatement st = ctx.connection().prepareStatement(QUERY)) {
            st.setString(1, ctx.schema().profileTable().quoted());
            st.setString(2, role.get());
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return;
                }
                boolean force = rs.getBoolean(2);
                boolean owner = rs.getBoolean(3);
                boolean bypass = rs.getBoolean(4) || (owner && !force);
                if (bypass || rs.getBoolean(5)) {
                    return;
                }
                String table = ctx.schema().profileTable().toString();
                causes.add(Cause.certain(CauseCode.PROFILE_RLS_BLOCKS_SYNC, Cause.Effect.FAILS_EVERY_SIGNUP,
                        "row-level security on " + table + " applies to " + role.get() + ", who inserts the"
                                + " profile, and no INSERT policy admits it: every signup fails",
                        "relrowsecurity = true" + (force ? ", FORCE" : "") + ", table owner " + rs.getString(6)
                                + ", inserting role " + role.get() + " (no superuser, no BYPASSRLS), no permissive"
                                + " INSERT policy for it",
                        "CREATE POLICY sync_profiles ON " + ctx.schema().profileTable().quoted() + " FOR INSERT TO "
                                + io.ghostwatch.sql.Sql.quoteIdent(role.get()) + " WITH CHECK (true);"
                                + " or make the table's owner own the function"));
            }
        }
    }
}
