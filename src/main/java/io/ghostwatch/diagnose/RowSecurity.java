package io.ghostwatch.diagnose;

import io.ghostwatch.sql.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Whether row-level security on a table denies a role's INSERT: it is on, applies to the role (not a superuser,
 * no BYPASSRLS, not the table's owner unless FORCE ROW LEVEL SECURITY), and no permissive INSERT policy names the
 * role or one it belongs to. Row security denies by default, so such an insert fails ("new row violates
 * row-level security policy"). When a policy exists, whether it admits the row is for a real insert to prove.
 */
final class RowSecurity {

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

    private RowSecurity() {
    }

    /** What the catalog shows when the role's insert into the table ({@code quoted}) is denied; empty if not. */
    static Optional<String> deniesInsert(Connection c, String quoted, String role) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(QUERY)) {
            st.setString(1, quoted);
            st.setString(2, role);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return Optional.empty();
                }
                boolean force = rs.getBoolean(2);
                boolean owner = rs.getBoolean(3);
                if (rs.getBoolean(4) || (owner && !force) || rs.getBoolean(5)) {
                    return Optional.empty();
                }
                return Optional.of("relrowsecurity = true" + (force ? ", FORCE" : "") + ", table owner "
                        + rs.getString(6) + ", inserting role " + role + " (no superuser, no BYPASSRLS), no"
                        + " permissive INSERT policy for it");
            }
        }
    }
}
