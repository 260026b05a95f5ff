package io.ghostwatch.diagnose;

import io.ghostwatch.path.PathWrite;
import io.ghostwatch.sql.Sql;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A guest's conversion to a permanent account: the auth server sets {@code is_anonymous = false} before it writes
 * the e-mail (or phone), so a trigger that fires on that update sees them NULL. A write on the path that copies
 * {@code NEW.email} or {@code NEW.phone} into a NOT NULL column then fails, and the conversion with it: every
 * guest who tries to keep their account.
 */
final class ConversionValueRule implements CauseRule {

    /** Identity columns a guest does not have yet when the conversion's update runs. */
    private static final Set<String> NULL_AT_CONVERSION = Set.of("email", "phone");
    private static final Pattern CONVERSION = Pattern.compile("(?i)\\bis_anonymous\\b");

    private static final String NOT_NULL = Sql.byName("""
            SELECT a.attname::text FROM pg_catalog.pg_attribute a
            WHERE a.attrelid OPERATOR(pg_catalog.=) pg_catalog.to_regclass(?::text)
              AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped AND a.attnotnull
              AND a.attname OPERATOR(pg_catalog.=) ANY (?::name[])
            ORDER BY a.attnum
            """);

    @Override
    public void find(CauseContext ctx, List<Cause> causes) throws SQLException {
        if (ctx.path().isEmpty()) {
            return;
        }
        for (PathWrite w : ctx.path().get().writes()) {
            if (w.schema().isEmpty() || !w.events().contains("UPDATE")
                    || !CONVERSION.matcher(w.condition().text()).find()) {
                continue;
            }
            List<String> targets = new ArrayList<>();
            for (Map.Entry<String, String> copy : w.copies().entrySet()) {
                // A write guarded by NEW.email IS NOT NULL does not run then: no failure (ghosts are the contract's).
                boolean guarded = Pattern.compile("(?i)\\bnew\\s*\\.\\s*" + Pattern.quote(copy.getValue())
                        + "\\s+IS\\s+NOT\\s+NULL").matcher(w.condition().text()).find();
                if (NULL_AT_CONVERSION.contains(copy.getValue()) && !guarded) {
                    targets.add(copy.getKey());
                }
            }
            if (targets.isEmpty()) {
                continue;
            }
            String table = Sql.quoteIdent(w.schema().get()) + "." + Sql.quoteIdent(w.table());
            try (PreparedStatement st = ctx.connection().prepareStatement(NOT_NULL)) {
                st.setString(1, table);
                st.setArray(2, ctx.connection().createArrayOf("text", targets.toArray()));
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        String column = rs.getString(1);
                        String from = w.copies().get(column);
                        causes.add(Cause.heuristic(CauseCode.CONVERSION_VALUE_MISSING, Cause.Effect.FAILS_EVERY_SIGNUP,
                                "every guest conversion fails: trigger " + w.trigger() + " -> " + String.join(" -> ",
                                        w.via()) + " writes NEW." + from + " into " + w.where() + "." + column
                                        + " (NOT NULL) when " + w.condition().text() + ", but the auth server sets"
                                        + " is_anonymous = false before it writes the guest's " + from + ", so NEW."
                                        + from + " is NULL then (23502), and the guest cannot keep their account",
                                w.where() + "." + column + " attnotnull; the path copies NEW." + from + " there on"
                                        + " UPDATE",
                                "write coalesce(NEW." + from + ", '') or let " + w.where() + "." + column
                                        + " be NULL (ALTER TABLE " + table + " ALTER COLUMN " + Sql.quoteIdent(column)
                                        + " DROP NOT NULL), or fire on the " + from + " being set"
                                        + " (WHEN (NEW." + from + " IS NOT NULL))"));
                    }
                }
            }
        }
    }
}
