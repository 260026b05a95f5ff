package io.ghostwatch.sql;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * SQL text read just enough to tell code from literals: comments dropped, every string literal ({@code '…'},
 * {@code $tag$…$tag$}) replaced by {@code 's'}, so nothing inside a string or a function body is read as a
 * statement of its own.
 */
public final class SqlText {

    /** Statements that end, start or split a transaction: a file run inside ghostwatch's transaction may not. */
    private static final Set<String> TRANSACTION_CONTROL = Set.of("BEGIN", "START", "COMMIT", "END", "ROLLBACK",
            "ABORT", "SAVEPOINT", "RELEASE", "PREPARE", "VACUUM");

    private SqlText() {
    }

    /**
     * The first top-level statement that controls the transaction (or cannot run inside one), as written up to
     * its first space, e.g. {@code COMMIT}; empty when there is none.
     */
    public static Optional<String> transactionControl(String sql) {
        for (String statement : List.of(strip(sql).split(";"))) {
            String first = statement.strip().split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
            if (TRANSACTION_CONTROL.contains(first)) {
                return Optional.of(first);
            }
        }
        return Optional.empty();
    }

    /** Drops comments and turns every string literal into {@code 's'}. */
    public static String strip(String body) {
        return scan(body, false);
    }

    /**
     * The text without its comments (each a space); its plain string literals kept as written, or each turned
     * into {@code 's'}; a dollar-quoted string always {@code 's'}.
     */
    private static String scan(String body, boolean keepLiterals) {
        StringBuilder out = new StringBuilder(body.length());
        int i = 0;
        int n = body.length();
        while (i < n) {
            char ch = body.charAt(i);
            int past = pastComment(body, i);
            if (past > i) {
                i = past;
                out.append(' ');
            } else if (ch == '\'' || ch == '"') {
                int end = i + 1;
                while (end < n && !(body.charAt(end) == ch && (end + 1 >= n || body.charAt(end + 1) != ch))) {
                    end += body.charAt(end) == ch ? 2 : 1;
                }
                end = Math.min(n, end + 1);
                out.append(ch == '\'' && !keepLiterals ? "'s'" : body.substring(i, end));
                i = end;
            } else if (ch == '$' && dollarTag(body, i) != null) {
                String tag = dollarTag(body, i);
                int close = body.indexOf(tag, i + tag.length());
                i = close < 0 ? n : close + tag.length();
                out.append("'s'");
            } else {
                out.append(ch);
                i++;
            }
        }
        return out.toString();
    }

    private static final java.util.regex.Pattern LITERAL_TOKEN = java.util.regex.Pattern.compile(
            "\"(?:[^\"]|\"\")*\"|'(?:[^']|'')*'|[A-Za-z_][A-Za-z0-9_$]*|::|->>|->|\\S");

    /**
     * The text's tokens with its plain string literals kept, quotes and all ({@code 'age'}), for rules that read
     * which metadata key a function takes; comments dropped, a dollar-quoted string one {@code 's'}.
     */
    public static List<String> tokensKeepingLiterals(String body) {
        List<String> tokens = new java.util.ArrayList<>();
        java.util.regex.Matcher m = LITERAL_TOKEN.matcher(scan(body, true));
        while (m.find()) {
            tokens.add(m.group());
        }
        return tokens;
    }

    /**
     * Where the select list starting at {@code from} ends: its first FROM, WHERE, ON, RETURNING or INTO outside
     * parentheses, else {@code end}.
     */
    public static int selectListEnd(List<String> tokens, int from, int end) {
        int depth = 0;
        for (int k = from; k < end; k++) {
            String s = tokens.get(k).toUpperCase(Locale.ROOT);
            depth += s.equals("(") ? 1 : s.equals(")") ? -1 : 0;
            if (depth == 0 && (s.equals("FROM") || s.equals("WHERE") || s.equals("ON") || s.equals("RETURNING")
                    || s.equals("INTO"))) {
                return k;
            }
        }
        return end;
    }

    /** The parts of {@code tokens[from, to)} between commas outside parentheses: a list's items. */
    public static List<List<String>> splitTopLevel(List<String> tokens, int from, int to) {
        List<List<String>> parts = new java.util.ArrayList<>();
        List<String> current = new java.util.ArrayList<>();
        int depth = 0;
        for (int k = from; k < Math.min(to, tokens.size()); k++) {
            String t = tokens.get(k);
            depth += t.equals("(") ? 1 : t.equals(")") ? -1 : 0;
            if (depth == 0 && t.equals(",")) {
                parts.add(current);
                current = new java.util.ArrayList<>();
            } else {
                current.add(t);
            }
        }
        if (!current.isEmpty()) {
            parts.add(current);
        }
        return parts;
    }

    /** Where a comment starting at {@code i} ends ({@code --} to the line's end, nested block comments); i if none. */
    private static int pastComment(String body, int i) {
        int n = body.length();
        if (body.startsWith("--", i)) {
            while (i < n && body.charAt(i) != '\n') {
                i++;
            }
            return i;
        }
        if (!body.startsWith("/*", i)) {
            return i;
        }
        int level = 0;
        do {
            if (body.startsWith("/*", i)) {
                level++;
                i += 2;
            } else if (body.startsWith("*/", i)) {
                level--;
                i += 2;
            } else {
                i++;
            }
        } while (i < n && level > 0);
        return i;
    }

    /** A string literal cast to a type by name: {@code 'member'::app_role}; the type as written, unquoted. */
    public record LiteralCast(String value, java.util.Optional<String> schema, String type) {
    }

    private static final java.util.regex.Pattern CAST = java.util.regex.Pattern.compile(
            "\\s*::\\s*(\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*)(?:\\s*\\.\\s*(\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*))?");

    /**
     * The plain string literals ({@code '...'}, not E'' or dollar-quoted) cast with {@code ::} to a named type,
     * outside comments: a reading of text, for rules that check the literal against the catalog.
     */
    public static List<LiteralCast> literalCasts(String body) {
        List<LiteralCast> casts = new java.util.ArrayList<>();
        int i = 0;
        int n = body.length();
        while (i < n) {
            char ch = body.charAt(i);
            int past = pastComment(body, i);
            if (past > i) {
                i = past;
            } else if (ch == '\'') {
                boolean escaped = i > 0 && (body.charAt(i - 1) == 'E' || body.charAt(i - 1) == 'e');
                StringBuilder value = new StringBuilder();
                i++;
                while (i < n) {
                    if (body.charAt(i) == '\'' && i + 1 < n && body.charAt(i + 1) == '\'') {
                        value.append('\'');
                        i += 2;
                    } else if (body.charAt(i) == '\'') {
                        i++;
                        break;
                    } else {
                        value.append(body.charAt(i++));
                    }
                }
                java.util.regex.Matcher m = CAST.matcher(body).region(i, n);
                if (!escaped && m.lookingAt()) {
                    boolean qualified = m.group(2) != null;
                    casts.add(new LiteralCast(value.toString(), qualified ? java.util.Optional.of(identifier(m.group(1)))
                            : java.util.Optional.empty(), identifier(qualified ? m.group(2) : m.group(1))));
                }
            } else if (ch == '$' && dollarTag(body, i) != null) {
                String tag = dollarTag(body, i);
                int close = body.indexOf(tag, i + tag.length());
                i = close < 0 ? n : close + tag.length();
            } else {
                i++;
            }
        }
        return casts;
    }

    /** An identifier as written: quoted kept as is (quotes undone), unquoted folded to lower case. */
    public static String identifier(String name) {
        return name.startsWith("\"") ? name.substring(1, name.length() - 1).replace("\"\"", "\"")
                : name.toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether a token is a name (quoted or not) rather than a symbol or a literal. */
    public static boolean isName(String token) {
        return token.startsWith("\"") || Character.isLetter(token.charAt(0)) || token.charAt(0) == '_';
    }

    /** {@code $$} or {@code $tag$} starting at {@code i}; null for {@code $1} and the like. */
    private static String dollarTag(String s, int i) {
        int j = i + 1;
        while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
            j++;
        }
        if (j < s.length() && s.charAt(j) == '$' && (j == i + 1 || !Character.isDigit(s.charAt(i + 1)))) {
            return s.substring(i, j + 1);
        }
        return null;
    }
}
