package io.ghostwatch.diagnose;

import io.ghostwatch.path.PathWrite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Triggers on the tables the signup path writes run inside the signup too: a Database Webhook on the profile table
 * ({@code supabase_functions.http_request()}, which calls {@code net.http_post}) left behind when {@code pg_net}
 * was removed fails every signup with SQLSTATE 3F000, though the sync function itself is fine. A schema-qualified
 * call in such a trigger's PL/pgSQL function whose schema does not exist, or whose schema has no function of that
 * name, is named with the trigger, its table, the function and the fix.
 */
final class WrittenTableTriggerRule implements CauseRule {

    /**
     * Triggers that fire in ordinary sessions on each table asked (by its place in the arrays), with their function,
     * whether on INSERT, whether BEFORE: every written table in one query.
     */
    private static final String TRIGGERS = """
            SELECT s.i, t.tgname::text, pg_catalog.format('%I.%I', fn.nspname, p.proname) || '()', l.lanname::text,
                   p.prosrc, (t.tgtype::int OPERATOR(pg_catalog.&) 4) OPERATOR(pg_catalog.<>) 0,
                   (t.tgtype::int OPERATOR(pg_catalog.&) 2) OPERATOR(pg_catalog.<>) 0
            FROM ROWS FROM (pg_catalog.unnest(?::text[]), pg_catalog.unnest(?::text[])) WITH ORDINALITY AS s(nsp, rel, i)
            JOIN pg_catalog.pg_namespace n ON n.nspname OPERATOR(pg_catalog.=) s.nsp
            JOIN pg_catalog.pg_class c ON c.relnamespace OPERATOR(pg_catalog.=) n.oid
              AND c.relname OPERATOR(pg_catalog.=) s.rel
            JOIN pg_catalog.pg_trigger t ON t.tgrelid OPERATOR(pg_catalog.=) c.oid
            JOIN pg_catalog.pg_proc p ON p.oid OPERATOR(pg_catalog.=) t.tgfoid
            JOIN pg_catalog.pg_namespace fn ON fn.oid OPERATOR(pg_catalog.=) p.pronamespace
            JOIN pg_catalog.pg_language l ON l.oid OPERATOR(pg_catalog.=) p.prolang
            WHERE NOT t.tgisinternal AND t.tgenabled OPERATOR(pg_catalog.=) ANY (ARRAY['O', 'A']::"char"[])
            ORDER BY 1, 2
            """;

    /** Whether the schema exists, and whether it has a function of that name. */
    private static final String RESOLVES = """
            SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname OPERATOR(pg_catalog.=) ?::name),
                   EXISTS (SELECT 1 FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n
                           ON n.oid OPERATOR(pg_catalog.=) p.pronamespace
                           WHERE n.nspname OPERATOR(pg_catalog.=) ?::name
                             AND p.proname OPERATOR(pg_catalog.=) ?::name)
            """;

    @Override
    public void find(CauseContext ctx, List<Cause> causes) throws SQLException {
        if (ctx.path().isEmpty()) {
            return;
        }
        // The tables written at signup (an INSERT trigger's writes) and whether some write there is unconditional.
        Map<String, PathWrite> tables = new LinkedHashMap<>();
        Map<String, Boolean> always = new LinkedHashMap<>();
        for (PathWrite w : ctx.path().get().writes()) {
            if (w.schema().isPresent() && w.atSignup() && !w.verb().equals("UPDATE")) {
                tables.putIfAbsent(w.where(), w);
                always.merge(w.where(), w.condition().always(), Boolean::logicalOr);
            }
        }
        Set<String> reported = new LinkedHashSet<>();
        List<PathWrite> written = new ArrayList<>(tables.values());
        List<List<Found>> triggers = triggers(ctx, written);
        for (int i = 0; i < written.size(); i++) {
            PathWrite w = written.get(i);
            for (Found t : triggers.get(i)) {
                if (!t.language().equals("plpgsql") || !t.onInsert()) {
                    continue;
                }
                for (PlpgsqlText.Call call : PlpgsqlText.of(t.body()).calls()) {
                    if (call.schema().isEmpty() || !reported.add(t.name() + "|" + call.written())) {
                        continue;
                    }
                    missing(ctx, call).ifPresent(why -> causes.add(Cause.heuristic(
                            CauseCode.WRITTEN_TABLE_TRIGGER_CALL_MISSING,
                            always.get(w.where()) ? Cause.Effect.FAILS_EVERY_SIGNUP : Cause.Effect.LEAVES_GHOSTS,
                            "trigger " + t.name() + " on " + w.where() + " (written by the signup path from trigger "
                                    + w.trigger() + ") executes " + t.function() + ", which calls " + call.written()
                                    + ": " + why + ", so " + (always.get(w.where()) ? "every signup" : "every signup"
                                    + " that writes " + w.where()) + " fails with SQLSTATE "
                                    + (why.startsWith("schema") ? "3F000" : "42883"),
                            call.written() + " in " + t.function() + ", " + (t.after() ? "AFTER" : "BEFORE")
                                    + " INSERT trigger " + t.name() + " on " + w.where(),
                            call.schema().get().equals("net") ? "restore the extension the call needs (CREATE"
                                    + " EXTENSION pg_net;), or drop the Database Webhook that needs it: DROP TRIGGER "
                                    + t.name() + " ON " + w.where() + ";"
                                    : "create " + call.schema().get() + "." + call.name() + "(…) (its migration or"
                                    + " extension), or drop or fix the trigger: DROP TRIGGER " + t.name() + " ON "
                                    + w.where() + ";")));
                }
            }
        }
    }

    private record Found(String name, String function, String language, String body, boolean onInsert,
                         boolean after) {
    }

    /** The triggers on each written table, in the tables' order. */
    private static List<List<Found>> triggers(CauseContext ctx, List<PathWrite> tables) throws SQLException {
        List<List<Found>> found = new ArrayList<>();
        tables.forEach(t -> found.add(new ArrayList<>()));
        if (tables.isEmpty()) {
            return found;
        }
        try (PreparedStatement st = ctx.connection().prepareStatement(TRIGGERS)) {
            st.setArray(1, ctx.connection().createArrayOf("text", tables.stream().map(w -> w.schema().orElseThrow())
                    .toArray()));
            st.setArray(2, ctx.connection().createArrayOf("text", tables.stream().map(PathWrite::table).toArray()));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    found.get(rs.getInt(1) - 1).add(new Found(rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getBoolean(6), !rs.getBoolean(7)));
                }
            }
        }
        return found;
    }

    /** Why a schema-qualified call cannot run: its schema does not exist, or has no function of that name. */
    private static java.util.Optional<String> missing(CauseContext ctx, PlpgsqlText.Call call) throws SQLException {
        try (PreparedStatement st = ctx.connection().prepareStatement(RESOLVES)) {
            st.setString(1, call.schema().orElseThrow());
            st.setString(2, call.schema().get());
            st.setString(3, call.name());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return java.util.Optional.of("schema " + call.schema().get() + " does not exist");
                }
                if (!rs.getBoolean(2)) {
                    return java.util.Optional.of("schema " + call.schema().get() + " has no function "
                            + call.name());
                }
                return java.util.Optional.empty();
            }
        }
    }
}
