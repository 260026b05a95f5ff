package io.ghostwatch.diagnose;

import io.ghostwatch.path.PathWrite;
import io.ghostwatch.sql.Sql;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every write on the signup path, not only the sync function's profile insert: a table another trigger's function
 * writes (a second INSERT trigger, an UPDATE trigger the auth server's update of a new user runs in the signup's
 * own transaction) must be writable by the role the write runs as, or the whole signup rolls back. The sync
 * trigger's own profile insert is {@link InsertPrivilegeRule}'s.
 */
final class PathPrivilegeRule implements CauseRule {

    /**
     * For each write asked (by its place in the arrays): usage of the schema, and which of the privileges the
     * statement needs (comma-separated) the role lacks. Every write in one query.
     */
    private static final String QUERY = """
            SELECT s.i, pg_catalog.has_schema_privilege(r.oid, n.oid, 'USAGE'),
                   ARRAY(SELECT p FROM pg_catalog.unnest(pg_catalog.string_to_array(s.needed, ',')) AS x(p)
                         WHERE NOT pg_catalog.has_table_privilege(r.oid, c.oid, p))
            FROM ROWS FROM (pg_catalog.unnest(?::text[]), pg_catalog.unnest(?::text[]), pg_catalog.unnest(?::text[]),
                            pg_catalog.unnest(?::text[])) WITH ORDINALITY AS s(role, nsp, rel, needed, i)
            JOIN pg_catalog.pg_roles r ON r.rolname OPERATOR(pg_catalog.=) s.role
            JOIN pg_catalog.pg_namespace n ON n.nspname OPERATOR(pg_catalog.=) s.nsp
            JOIN pg_catalog.pg_class c ON c.relnamespace OPERATOR(pg_catalog.=) n.oid
              AND c.relname OPERATOR(pg_catalog.=) s.rel
            ORDER BY s.i
            """;

    /** One write to check, with the role it runs as and the privileges it needs. */
    private record Check(PathWrite write, String role, List<String> needed) {
    }

    @Override
    public void find(CauseContext ctx, List<Cause> causes) throws SQLException {
        if (ctx.path().isEmpty()) {
            return;
        }
        Set<String> reported = new LinkedHashSet<>();
        List<Check> checks = new ArrayList<>();
        for (PathWrite w : ctx.path().get().writes()) {
            if (w.schema().isEmpty() || !(w.events().contains("INSERT") || w.events().contains("UPDATE"))) {
                continue;
            }
            boolean syncProfileInsert = ctx.syncProfileInsert(w);
            Optional<String> role = ctx.writer(w);
            if (syncProfileInsert || role.isEmpty()) {
                continue;
            }
            // An UPDATE reads the rows it matches; an upsert that updates on conflict inserts, updates and reads.
            List<String> needed = switch (w.verb()) {
                case "UPDATE" -> List.of("UPDATE", "SELECT");
                case "UPSERT" -> List.of("INSERT", "UPDATE", "SELECT");
                default -> List.of("INSERT");
            };
            if (reported.add(w.trigger() + "|" + w.where() + "|" + needed + "|" + role.get())) {
                checks.add(new Check(w, role.get(), needed));
            }
        }
        if (checks.isEmpty()) {
            return;
        }
        try (PreparedStatement st = ctx.connection().prepareStatement(QUERY)) {
            st.setArray(1, ctx.connection().createArrayOf("text", checks.stream().map(Check::role).toArray()));
            st.setArray(2, ctx.connection().createArrayOf("text", checks.stream()
                    .map(k -> k.write().schema().get()).toArray()));
            st.setArray(3, ctx.connection().createArrayOf("text", checks.stream().map(k -> k.write().table())
                    .toArray()));
            st.setArray(4, ctx.connection().createArrayOf("text", checks.stream()
                    .map(k -> String.join(",", k.needed())).toArray()));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Check k = checks.get(rs.getInt(1) - 1);
                    List<String> lacking = java.util.Arrays.stream((Object[]) rs.getArray(3).getArray())
                            .map(String::valueOf).toList();
                    report(k, rs.getBoolean(2), lacking, causes);
                }
            }
        }
    }

    private static void report(Check k, boolean usage, List<String> lacking, List<Cause> causes) {
        PathWrite w = k.write();
        List<String> missing = new ArrayList<>();
        List<String> grants = new ArrayList<>();
        String grantee = Sql.quoteIdent(k.role());
        if (!usage) {
            missing.add("USAGE on schema " + w.schema().get());
            grants.add("GRANT USAGE ON SCHEMA " + Sql.quoteIdent(w.schema().get()) + " TO " + grantee + ";");
        }
        if (!lacking.isEmpty()) {
            missing.add(String.join(", ", lacking) + " on " + w.where());
            grants.add("GRANT " + String.join(", ", lacking) + " ON " + Sql.quoteIdent(w.schema().get()) + "."
                    + Sql.quoteIdent(w.table()) + " TO " + grantee + ";");
        }
        if (missing.isEmpty()) {
            return;
        }
        String when = w.events().contains("INSERT") ? "every signup runs it"
                : "it runs on UPDATE of the identity, which the auth server makes in every signup's transaction"
                + " and at every sign-in";
        String function = w.via().get(w.via().size() - 1);
        causes.add(Cause.certain(CauseCode.PATH_WRITE_NOT_PERMITTED, Cause.Effect.FAILS_EVERY_SIGNUP,
                "trigger " + w.trigger() + " (" + when + ") -> " + String.join(" -> ", w.via()) + " writes "
                        + w.where() + " as " + k.role() + (w.runsAs().isEmpty() ? " (the function is not"
                        + " SECURITY DEFINER, so it runs as whoever signs up)" : "") + ", which lacks "
                        + String.join(" and ", missing) + ": that statement fails, and the signup with it"
                        + (w.condition().always() ? "" : " (when " + w.condition().text() + ")"),
                k.role() + ": " + String.join(", ", missing) + " = false",
                String.join(" ", grants) + (w.runsAs().isEmpty() ? " Or ALTER FUNCTION " + function
                        + " SECURITY DEFINER; owned by a role that may write it." : "")));
    }
}
