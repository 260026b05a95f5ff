package io.ghostwatch.diagnose;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of PL/pgSQL's syntax to read a trigger function's exception handlers and the tables it writes.
 * Comments are dropped and every string literal ({@code '…'}, {@code $tag$…$tag$}) becomes {@code 's'}, so text
 * inside strings (dynamic SQL, messages) is never read as code. A reading of text, not a parse: causes found
 * this way say they are heuristic.
 */
final class PlpgsqlText {

    private static final String NAME = "\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*";
    private static final Pattern INSERT = Pattern.compile(
            "(?i)\\bINSERT\\s+INTO\\s+(" + NAME + ")(?:\\s*\\.\\s*(" + NAME + "))?");
    private static final Pattern UPDATE = Pattern.compile(
            "(?i)\\bUPDATE\\s+(?:ONLY\\s+)?(" + NAME + ")(?:\\s*\\.\\s*(" + NAME + "))?(?:\\s+(?:AS\\s+)?(?:" + NAME
                    + "))?\\s+SET\\b");
    private static final Pattern TOKEN = Pattern.compile("\"(?:[^\"]|\"\")*\"|'s'|[A-Za-z_][A-Za-z0-9_$]*|;|\\S");
    /** RAISE levels below EXCEPTION: they report and carry on, so the error is swallowed. */
    private static final Set<String> NON_RAISING = Set.of("DEBUG", "LOG", "INFO", "NOTICE", "WARNING");

    private final String code;

    private PlpgsqlText(String code) {
        this.code = code;
    }

    static PlpgsqlText of(String body) {
        return new PlpgsqlText(strip(body));
    }

    /** A relation the function inserts into or updates, as written: schema empty when unqualified. */
    record Target(String verb, Optional<String> schema, String name) {

        String written() {
            return schema.map(s -> s + ".").orElse("") + name;
        }
    }

    /**
     * One {@code WHEN … THEN …} handler of an exception section.
     *
     * @param conditions what it catches, e.g. {@code OTHERS}
     * @param reraises   whether it ends in a RAISE at level EXCEPTION ({@code RAISE;}, {@code RAISE EXCEPTION},
     *                   {@code RAISE 'text'}, {@code RAISE SQLSTATE …}, {@code RAISE USING …}, a condition name)
     * @param raises     the RAISE statements it has, e.g. {@code RAISE WARNING}
     */
    record Handler(String conditions, boolean reraises, List<String> raises) {
    }

    List<Target> writeTargets() {
        List<Target> targets = new ArrayList<>();
        collect(INSERT, "INSERT INTO", targets);
        collect(UPDATE, "UPDATE", targets);
        return targets;
    }

    private void collect(Pattern pattern, String verb, List<Target> targets) {
        Matcher m = pattern.matcher(code);
        while (m.find()) {
            String first = identifier(m.group(1));
            if (m.group(2) == null && first.equalsIgnoreCase("set")) {
                continue; // ON CONFLICT … DO UPDATE SET
            }
            Target t = m.group(2) == null ? new Target(verb, Optional.empty(), first)
                    : new Target(verb, Optional.of(first), identifier(m.group(2)));
            if (!targets.contains(t)) {
                targets.add(t);
            }
        }
    }

    /** Every handler of every exception section, the function's own and nested blocks' alike. */
    List<Handler> handlers() {
        List<String> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(code);
        while (m.find()) {
            tokens.add(m.group());
        }
        List<Handler> handlers = new ArrayList<>();
        for (int i = 0; i + 1 < tokens.size(); i++) {
            if (is(tokens.get(i), "EXCEPTION") && is(tokens.get(i + 1), "WHEN")) {
                section(tokens, i + 1, handlers);
            }
        }
        return handlers;
    }

    /** Reads the handlers from the WHEN at {@code start} to the END that closes the block. */
    private static void section(List<String> tokens, int start, List<Handler> handlers) {
        int depth = 0;
        StringBuilder conditions = null;
        List<String> body = null;
        boolean inConditions = false;
        for (int j = start; j < tokens.size(); j++) {
            String t = tokens.get(j);
            String next = j + 1 < tokens.size() ? tokens.get(j + 1) : "";
            if (is(t, "END")) {
                if (is(next, "IF") || is(next, "LOOP")) {
                    j++;
                    continue;
                }
                if (is(next, "CASE")) {
                    depth--;
                    j++;
                    continue;
                }
                if (depth == 0) {
                    break;
                }
                depth--;
            } else if (is(t, "BEGIN") || is(t, "CASE")) {
                depth++;
            } else if (depth == 0 && is(t, "WHEN")) {
                if (conditions != null) {
                    handlers.add(handler(conditions, body));
                }
                conditions = new StringBuilder();
                body = new ArrayList<>();
                inConditions = true;
                continue;
            } else if (inConditions && is(t, "THEN")) {
                inConditions = false;
                continue;
            }
            if (inConditions) {
                conditions.append(conditions.isEmpty() ? "" : " ").append(t);
            } else if (body != null) {
                body.add(t);
            }
        }
        if (conditions != null) {
            handlers.add(handler(conditions, body));
        }
    }

    private static Handler handler(StringBuilder conditions, List<String> body) {
        boolean reraises = false;
        List<String> raises = new ArrayList<>();
        for (int k = 0; k < body.size(); k++) {
            if (!is(body.get(k), "RAISE")) {
                continue;
            }
            String level = k + 1 < body.size() ? body.get(k + 1) : ";";
            String upper = level.toUpperCase(Locale.ROOT);
            if (NON_RAISING.contains(upper)) {
                raises.add("RAISE " + upper);
            } else {
                reraises = true;
                raises.add(level.equals(";") ? "RAISE;" : "RAISE " + (level.equals("'s'") ? "'…'" : upper));
            }
        }
        return new Handler(conditions.toString().toUpperCase(Locale.ROOT), reraises, raises);
    }

    private static boolean is(String token, String keyword) {
        return token.equalsIgnoreCase(keyword);
    }

    /** Unquotes a quoted identifier; folds an unquoted one to lower case, as PostgreSQL does. */
    static String identifier(String written) {
        if (written.startsWith("\"")) {
            return written.substring(1, written.length() - 1).replace("\"\"", "\"");
        }
        return written.toLowerCase(Locale.ROOT);
    }

    /** Drops comments and turns every string literal into {@code 's'}. */
    static String strip(String body) {
        StringBuilder out = new StringBuilder(body.length());
        int i = 0;
        int n = body.length();
        while (i < n) {
            char ch = body.charAt(i);
            if (ch == '-' && i + 1 < n && body.charAt(i + 1) == '-') {
                while (i < n && body.charAt(i) != '\n') {
                    i++;
                }
                out.append(' ');
            } else if (ch == '/' && i + 1 < n && body.charAt(i + 1) == '*') {
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
                out.append(' ');
            } else if (ch == '\'') {
                i++;
                while (i < n) {
                    if (body.charAt(i) == '\'' && i + 1 < n && body.charAt(i + 1) == '\'') {
                        i += 2;
                    } else if (body.charAt(i) == '\'') {
                        i++;
                        break;
                    } else {
                        i++;
                    }
                }
                out.append("'s'");
            } else if (ch == '"') {
                int end = i + 1;
                while (end < n && !(body.charAt(end) == '"' && (end + 1 >= n || body.charAt(end + 1) != '"'))) {
                    end += body.charAt(end) == '"' ? 2 : 1;
                }
                end = Math.min(n, end + 1);
                out.append(body, i, end);
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
