package io.ghostwatch.diagnose;

import io.ghostwatch.path.PathWrite;
import io.ghostwatch.sql.Sql;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Row-level security on a table another write of the signup path inserts into (a second trigger's
 * {@code user_settings}, a role table), denying the role that insert runs as ({@link RowSecurity}): the insert
 * fails, and the signup with it, though the grants allow it ({@link PathPrivilegeRule} checks those). The sync
 * trigger's own profile insert is {@link RowLevelSecurityRule}'s.
 */
final class PathRowSecurityRule implements CauseRule {

    @Override
    public void find(CauseContext ctx, List<Cause> causes) throws SQLException {
        if (ctx.path().isEmpty()) {
            return;
        }
        Set<String> reported = new LinkedHashSet<>();
        List<PathWrite> writes = new ArrayList<>();
        List<RowSecurity.Insert> inserts = new ArrayList<>();
        for (PathWrite w : ctx.path().get().writes()) {
            if (w.schema().isEmpty() || w.verb().equals("UPDATE")
                    || !(w.events().contains("INSERT") || w.events().contains("UPDATE"))) {
                continue;
            }
            boolean syncProfileInsert = ctx.syncProfileInsert(w);
            Optional<String> role = ctx.writer(w);
            if (!syncProfileInsert && role.isPresent() && reported.add(w.where() + "|" + role.get())) {
                writes.add(w);
                inserts.add(new RowSecurity.Insert(w.schema().get(), w.table(), role.get()));
            }
        }
        List<Optional<String>> denied = RowSecurity.deniesInsert(ctx.connection(), inserts);
        for (int i = 0; i < writes.size(); i++) {
            if (denied.get(i).isEmpty()) {
                continue;
            }
            PathWrite w = writes.get(i);
            String role = inserts.get(i).role();
            String quoted = Sql.quoteIdent(w.schema().get()) + "." + Sql.quoteIdent(w.table());
            String function = w.via().get(w.via().size() - 1);
            causes.add(Cause.certain(CauseCode.PATH_WRITE_RLS_BLOCKS,
                    w.condition().always() ? Cause.Effect.FAILS_EVERY_SIGNUP : Cause.Effect.FAILS_SOME_SIGNUPS,
                    "trigger " + w.trigger() + " -> " + String.join(" -> ", w.via()) + " inserts into " + w.where()
                            + " as " + role + ", and row-level security there admits no INSERT by it: that"
                            + " insert fails (new row violates row-level security policy), and the signup with it"
                            + (w.condition().always() ? "" : " (when " + w.condition().text() + ")"),
                    denied.get(i).get(),
                    "CREATE POLICY signup_path_insert ON " + quoted + " FOR INSERT TO " + Sql.quoteIdent(role)
                            + " WITH CHECK (true); or ALTER FUNCTION " + function + " SECURITY DEFINER owned by the"
                            + " table's owner"));
        }
    }
}
