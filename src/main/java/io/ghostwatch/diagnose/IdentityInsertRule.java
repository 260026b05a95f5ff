package io.ghostwatch.diagnose;

import io.ghostwatch.sql.Sql;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The signup role must be able to insert identities at all: an identity table that is not the auth role's (as
 * on preview branches restored by another role) fails every signup before any trigger runs, and no row is
 * written for the attempt counters to see.
 */
final class IdentityInsertRule implements CauseRule {

    private static final String QUERY = Sql.byName("""
            SELECT pg_catalog.has_schema_privilege(r.oid, ?::text, 'USAGE'),
                   pg_catalog.has_table_privilege(r.oid, pg_catalog.to_regclass(?::text), 'INSERT')
            FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) ?::text
            """);

    @Override
    public void find(CauseContext ctx, List<Cause> causes) throws SQLException {
        if (ctx.signup().isEmpty()) {
            return;
        }
        String role = ctx.signup().get().role();
        String grantee = Sql.quoteIdent(role);
        List<String> missing = new ArrayList<>();
        List<String> grants = new ArrayList<>();
        try (PreparedStatement st = ctx.connection().prepareStatement(QUERY)) {
            st.setString(1, ctx.schema().identityTable().schema().name());
            st.setString(2, ctx.schema().identityTable().quoted());
            st.setString(3, role);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return;
                }
                if (!rs.getBoolean(1)) {
                    missing.add("USAGE on schema " + ctx.schema().identityTable().schema());
                    grants.add("GRANT USAGE ON SCHEMA " + ctx.schema().identityTable().schema().quoted() + " TO "
                            + grantee + ";");
                }
                if (!rs.getBoolean(2)) {
                    missing.add("INSERT on " + ctx.schema().identityTable());
                    grants.add("GRANT INSERT ON " + ctx.schema().identityTable().quoted() + " TO " + grantee + ";");
                }
            }
        }
        if (!missing.isEmpty()) {
            causes.add(Cause.certain(CauseCode.SIGNUP_ROLE_CANNOT_INSERT_IDENTITY, Cause.Effect.FAILS_EVERY_SIGNUP, role
                            + " signs users up and lacks " + String.join(" and ", missing) + ": every signup fails"
                            + " with \"permission denied\" before any trigger runs",
                    role + ": " + String.join(", ", missing) + " = false",
                    String.join(" ", grants) + " (or give the table back to " + role + ": ALTER TABLE "
                            + ctx.schema().identityTable().quoted() + " OWNER TO " + grantee + ";)"));
        }
    }
}
