package io.ghostwatch.diagnose;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether row-level security on a table denies a role's INSERT: it is on, applies to the role (not a superuser,
 * no BYPASSRLS, not the table's owner unless FORCE ROW LEVEL SECURITY), and no permissive INSERT policy names the
 * role or one it belongs to. Row security denies by default, so such an insert fails ("new row violates
 * row-level security policy"). When a policy exists, whether it admits the row is for a real insert to prove.
 * Every table and role of a check in one query.
 */
final class RowSecurity {

    /** A role's insert into a table, by schema and name. */
    record Insert(String schema, String table, String role) {
    }

    private static final String QUERY = """
            SELECT s.i, t.relrowsecurity, t.relforcerowsecurity, t.relowner = r.oid, r.rolsuper OR r.rolbypassrls,
                   EXISTS (SELECT 1 FROM pg_catalog.pg_policy p
                           WHERE p.polrelid = t.oid AND p.polpermissive AND p.polcmd IN ('a', '*')
                             AND (0::oid = ANY (p.polroles)
                                  OR EXISTS (SELECT 1 FROM pg_catalog.unnest(p.polroles) pr
                                             WHERE pg_catalog.pg_has_role(r.oid, pr, 'MEMBER')))),
                   pg_catalog.pg_get_userbyid(t.relowner)
            FROM ROWS FROM (pg_catalog.unnest(?::text[]), pg_catalog.unnest(?::text[]), pg_catalog.unnest(?::text[]))
                 WITH ORDINALITY AS s(nsp, rel, role, i)
            JOIN pg_catalog.pg_namespace n ON n.nspname = s.nsp
            JOIN pg_catalog.pg_class t ON t.relnamespace = n.oid AND t.relname = s.rel
            JOIN pg_catalog.pg_roles r ON r.rolname = s.role
            """;

    private RowSecurity() {
    }

    /** For each insert, what the catalog shows when row security denies it; empty where it does not. */
    static List<Optional<String>> deniesInsert(Connection c, List<Insert> inserts) throws SQLException {
        List<Optional<String>> denied = new ArrayList<>();
        inserts.forEach(i -> denied.add(Optional.empty()));
        if (inserts.isEmpty()) {
            return denied;
        }
        try (PreparedStatement st = c.prepareStatement(QUERY)) {
            st.setArray(1, c.createArrayOf("text", inserts.stream().map(Insert::schema).toArray()));
            st.setArray(2, c.createArrayOf("text", inserts.stream().map(Insert::table).toArray()));
            st.setArray(3, c.createArrayOf("text", inserts.stream().map(Insert::role).toArray()));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    int i = rs.getInt(1) - 1;
                    boolean force = rs.getBoolean(3);
                    boolean owner = rs.getBoolean(4);
                    if (!rs.getBoolean(2) || rs.getBoolean(5) || (owner && !force) || rs.getBoolean(6)) {
                        continue;
                    }
                    denied.set(i, Optional.of("relrowsecurity = true" + (force ? ", FORCE" : "") + ", table owner "
                            + rs.getString(7) + ", inserting role " + inserts.get(i).role() + " (no superuser, no"
                            + " BYPASSRLS), no permissive INSERT policy for it"));
                }
            }
        }
        return denied;
    }
}
