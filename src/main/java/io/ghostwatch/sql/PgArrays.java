package io.ghostwatch.sql;

import java.util.Collection;

/** PostgreSQL array literals, for values whose SQL type only the server knows (bound as untyped parameters). */
public final class PgArrays {

    private PgArrays() {
    }

    /**
     * {@code {"a","b"}}: every element double-quoted, with backslash and double quote escaped, so any text
     * (commas, braces, the word NULL) arrives as itself. Bound with {@code Types.OTHER}, the server casts it to
     * the array type of the column it is compared with.
     */
    public static String literal(Collection<String> values) {
        StringBuilder out = new StringBuilder(values.size() * 40 + 2).append('{');
        boolean first = true;
        for (String v : values) {
            if (v == null) {
                throw new IllegalArgumentException("an array element is null");
            }
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append('"');
            for (int i = 0; i < v.length(); i++) {
                char ch = v.charAt(i);
                if (ch == '"' || ch == '\\') {
                    out.append('\\');
                }
                out.append(ch);
            }
            out.append('"');
        }
        return out.append('}').toString();
    }
}
