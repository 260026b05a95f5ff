package io.ghostwatch.diagnose;

import io.ghostwatch.path.PathTrigger;
import io.ghostwatch.path.PathWrite;
import io.ghostwatch.path.SignupPath;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The text of every function on the signup path (each trigger's on INSERT or UPDATE, and each that writes), read
 * in one query for all the rules that read function text, rather than one query per rule and function.
 */
final class PathFunctions {

    /** A function's body, language and SET options ({@code search_path=…}). */
    record Text(String body, String language, List<String> config) {

        /** A language whose text the rules can read. */
        boolean readable() {
            return language.equals("plpgsql") || language.equals("sql");
        }
    }

    private static final String QUERY = """
            SELECT s.sig, p.prosrc, l.lanname::text, p.proconfig
            FROM pg_catalog.unnest(?::text[]) AS s(sig)
            JOIN pg_catalog.pg_proc p ON p.oid OPERATOR(pg_catalog.=) pg_catalog.to_regprocedure(s.sig)
            JOIN pg_catalog.pg_language l ON l.oid OPERATOR(pg_catalog.=) p.prolang
            """;

    static final PathFunctions NONE = new PathFunctions(List.of(), Map.of());

    private final List<String> signatures;
    private final Map<String, Text> texts;

    private PathFunctions(List<String> signatures, Map<String, Text> texts) {
        this.signatures = signatures;
        this.texts = texts;
    }

    static PathFunctions read(Connection c, Optional<SignupPath> path) throws SQLException {
        if (path.isEmpty()) {
            return NONE;
        }
        Set<String> signatures = new LinkedHashSet<>();
        for (PathTrigger t : path.get().triggers()) {
            if (t.events().contains("INSERT") || t.events().contains("UPDATE")) {
                signatures.add(t.function());
            }
        }
        for (PathWrite w : path.get().writes()) {
            signatures.addAll(w.via());
        }
        if (signatures.isEmpty()) {
            return NONE;
        }
        Map<String, Text> texts = new HashMap<>();
        try (PreparedStatement st = c.prepareStatement(QUERY)) {
            st.setArray(1, c.createArrayOf("text", signatures.toArray()));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    texts.put(rs.getString(1), new Text(rs.getString(2), rs.getString(3), strings(rs.getArray(4))));
                }
            }
        }
        return new PathFunctions(List.copyOf(signatures), texts);
    }

    /** The path's functions, triggers' first, in the order the path names them. */
    List<String> signatures() {
        return signatures;
    }

    /** The function's text when it exists and is PL/pgSQL or SQL. */
    Optional<Text> readable(String signature) {
        return Optional.ofNullable(texts.get(signature)).filter(Text::readable);
    }

    private static List<String> strings(Array array) throws SQLException {
        List<String> out = new ArrayList<>();
        if (array != null) {
            for (Object o : (Object[]) array.getArray()) {
                out.add(String.valueOf(o));
            }
        }
        return out;
    }
}
