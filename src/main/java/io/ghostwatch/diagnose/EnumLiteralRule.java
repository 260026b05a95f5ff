package io.ghostwatch.diagnose;

import io.ghostwatch.sql.SqlText;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A literal the signup path's functions cast to an enum that has no such value: {@code 'member'::app_role} after a
 * migration renamed the role to {@code user}. The cast fails (SQLSTATE 22P02) each time it runs, which for a write
 * every signup makes is every signup; the catalog shows it before any signup is tried. The literal is read from
 * the function's text and only ever bound as a parameter.
 */
final class EnumLiteralRule implements CauseRule {

    /** The enum of that name in the first schema that has one, whether it has the label, and its labels. */
    private static final String ENUM = """
            SELECT pg_catalog.format('%I.%I', n.nspname, t.typname),
                   EXISTS (SELECT 1 FROM pg_catalog.pg_enum e WHERE e.enumtypid OPERATOR(pg_catalog.=) t.oid
                           AND e.enumlabel OPERATOR(pg_catalog.=) ?::name),
                   ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e
                         WHERE e.enumtypid OPERATOR(pg_catalog.=) t.oid ORDER BY e.enumsortorder)
            FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) t.typnamespace
            JOIN pg_catalog.unnest(?::text[]) WITH ORDINALITY AS s(name, rank)
              ON s.name OPERATOR(pg_catalog.=) n.nspname::text
            WHERE t.typname OPERATOR(pg_catalog.=) ?::name AND t.typtype OPERATOR(pg_catalog.=) 'e'
            ORDER BY s.rank LIMIT 1
            """;

    @Override
    public void find(CauseContext ctx, List<Cause> causes) throws SQLException {
        if (ctx.path().isEmpty()) {
            return;
        }
        Set<String> reported = new LinkedHashSet<>();
        for (String function : ctx.functions().signatures()) {
            Optional<PathFunctions.Text> text = ctx.functions().readable(function);
            if (text.isEmpty()) {
                continue;
            }
            List<String> schemas = searchPath(text.get().config());
            for (SqlText.LiteralCast cast : SqlText.literalCasts(text.get().body())) {
                if (reported.add(function + "|" + cast)) {
                    check(ctx, function, cast, schemas, causes);
                }
            }
        }
    }

    private static void check(CauseContext ctx, String function, SqlText.LiteralCast cast, List<String> path,
                              List<Cause> causes) throws SQLException {
        List<String> schemas = cast.schema().map(List::of).orElse(path);
        try (PreparedStatement st = ctx.connection().prepareStatement(ENUM)) {
            st.setString(1, cast.value());
            st.setArray(2, ctx.connection().createArrayOf("text", schemas.toArray()));
            st.setString(3, cast.type());
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next() || rs.getBoolean(2)) {
                    return; // not an enum, or the label exists
                }
                String type = rs.getString(1);
                List<String> labels = Arrays.stream((Object[]) rs.getArray(3).getArray()).map(String::valueOf)
                        .toList();
                String literal = cast.value().length() > 40 ? cast.value().substring(0, 40) + "..." : cast.value();
                causes.add(Cause.heuristic(CauseCode.ENUM_LITERAL_MISSING, Cause.Effect.FAILS_EVERY_SIGNUP,
                        function + " casts '" + literal + "' to " + type + ", which has no such value (its values: "
                                + String.join(", ", labels) + "): every signup that runs it fails with SQLSTATE"
                                + " 22P02",
                        "'" + literal + "'::" + cast.schema().map(x -> x + ".").orElse("") + cast.type() + " in "
                                + function + "; pg_enum of " + type,
                        "use one of its values in " + function + ", or add the value: ALTER TYPE " + type
                                + " ADD VALUE '" + literal.replace("'", "''") + "';"));
            }
        }
    }

    /** The schemas the function's search_path names (its SET clause, else the default: "$user", public). */
    private static List<String> searchPath(List<String> config) {
        for (String setting : config) {
            if (setting.startsWith("search_path=")) {
                List<String> schemas = new ArrayList<>();
                for (String part : setting.substring("search_path=".length()).split(",")) {
                    String s = part.trim();
                    if (s.startsWith("\"") && s.endsWith("\"") && s.length() > 1) {
                        s = s.substring(1, s.length() - 1).replace("\"\"", "\"");
                    }
                    if (!s.isEmpty() && !s.equals("$user")) {
                        schemas.add(s);
                    }
                }
                schemas.add(0, "pg_catalog");
                return schemas;
            }
        }
        return List.of("pg_catalog", "public");
    }
}
