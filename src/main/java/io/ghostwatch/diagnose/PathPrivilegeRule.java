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

    /** Usage of the schema, and which of the privileges the statement needs the role lacks. */
    private static final String QUERY = """
            SELECT pg_catalog.has_schema_privilege(r.oid, n.oid, 'USAGE'),
                   ARRAY(SELECT p FROM pg_catalog.unnest(?::text[]) AS x(p)
                         WHERE NOT pg_catalog.has_table_privilege(r.oid, c.oid, p))
            FROM pg_catalog.pg_roles r, pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
            WHERE r.rolname OPERATOR(pg_catalog.=) ?::name AND n.nspname OPERATOR(pg_catalog.=) ?::name
              AND c.relname OPERATOR(pg_catalog.=) ?::name
            """;

    @Override
    public void find(CauseContext ctx, List<Cause> causes) throws SQLException {
        if (ctx.path().isEmpty()) {
            return;
        }
        Set<String> reported = new LinkedHashSet<>();
        for (PathWrite w : ctx.path().get().writes()) {
            if (w.schema().isEmpty() || !(w.events().contains("INSERT") || w.events().contains("UPDATE"))) {
                continue;
            }
            boolean syncProfileInsert = w.trigger().equals(ctx.schema().triggerName().name())
                    && w.writes(ctx.schema().profileTable().schema().name(), ctx.schema().profileTable().name().name());
            Optional<String> role = w.runsAs().or(() -> ctx.signup().map(s -> s.role()));
            if (syncProfileInsert || role.isEmpty()) {
                continue;
            }
            // An UPDATE reads the rows it matches; an upsert that updates on conflict inserts, updates and reads.
            List<String> needed = switch (w.verb()) {
                case "UPDATE" -> List.of("UPDATE", "SELECT");
                case "UPSERT" -> List.of("INSERT", "UPDATE", "SELECT");
                default -> List.of("INSERT");
            };
            String key = w.trigger() + "|" + w.where() + "|" + needed + "|" + role.get();
            if (!reported.add(key)) {
                continue;
            }
            List<String> missing = new ArrayList<>();
            List<String> grants = new ArrayList<>();
            try (PreparedStatement st = ctx.connection().prepareStatement(QUERY)) {
                st.setArray(1, ctx.connection().createArrayOf("text", needed.toArray()));
                st.setString(2, role.get());
                st.setString(3, w.schema().get());
                st.setString(4, w.table());
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        continue;
                    }
                    String grantee = Sql.quoteIdent(role.get());
                    if (!rs.getBoolean(1)) {
                        missing.add("USAGE on schema " + w.schema().get());
                        grants.add("GRANT USAGE ON SCHEMA " + Sql.quoteIdent(w.schema().get()) + " TO " + grantee
                                + ";");
                    }
                    List<String> lacking = java.util.Arrays.stream((Object[]) rs.getArray(2).getArray())
                            .map(String::valueOf).toList();
                    if (!lacking.isEmpty()) {
                        missing.add(String.join(", ", lacking) + " on " + w.where());
                        grants.add("GRANT " + String.join(", ", lacking) + " ON " + Sql.quoteIdent(w.schema().get())
                                + "." + Sql.quoteIdent(w.table()) + " TO " + grantee + ";");
                    }
                }
            }
            if (missing.isEmpty()) {
                continue;
            }
            String when = w.events().contains("INSERT") ? "every signup runs it"
                    : "it runs on UPDATE of the identity, which the auth server makes in every signup's transaction"
                    + " and at every sign-in";
            String function = w.via().get(w.via().size() - 1);
            causes.add(Cause.certain(CauseCode.PATH_WRITE_NOT_PERMITTED, Cause.Effect.FAILS_EVERY_SIGNUP,
                    "trigger " + w.trigger() + " (" + when + ") -> " + String.join(" -> ", w.via()) + " writes "
                            + w.where() + " as " + role.get() + (w.runsAs().isEmpty() ? " (the function is not"
                            + " SECURITY DEFINER, so it runs as whoever signs up)" : "") + ", which lacks "
                            + String.join(" and ", missing) + ": that statement fails, and the signup with it"
                            + (w.condition().always() ? "" : " (when " + w.condition().text() + ")"),
                    role.get() + ": " + String.join(", ", missing) + " = false",
                    String.join(" ", grants) + (w.runsAs().isEmpty() ? " Or ALTER FUNCTION " + function
                            + " SECURITY DEFINER; owned by a role that may write it." : "")));
        }
    }
}
