package io.ghostwatch.diagnose;

import io.ghostwatch.sql.SqlText;

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
     * @param guardsWrite whether the block it handles errors of writes a table (INSERT, UPDATE, MERGE), or the
     *                   function writes nowhere else (so the write may be in a function the block calls)
     */
    record Handler(String conditions, boolean reraises, List<String> raises, boolean guardsWrite) {
    }

    /** A call of a function by name: {@code schema} empty when unqualified. */
    record Call(Optional<String> schema, String name, int arguments) {

        String written() {
            return schema.map(x -> x + ".").orElse("") + name + "(" + arguments + " argument"
                    + (arguments == 1 ? "" : "s") + ")";
        }
    }

    /** An INSERT with a column list: the table as written and the columns it names. */
    record InsertColumns(Target target, List<String> columns) {
    }

    /** An IF whose condition reads the new row and whose branches do not all write: rows it skips get nothing. */
    record GuardedWrite(String condition) {
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

    private List<String> tokens() {
        List<String> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(code);
        while (m.find()) {
            tokens.add(m.group());
        }
        return tokens;
    }

    /** Every handler of every exception section, the function's own and nested blocks' alike. */
    List<Handler> handlers() {
        List<String> tokens = tokens();
        List<Handler> handlers = new ArrayList<>();
        for (int i = 0; i + 1 < tokens.size(); i++) {
            if (is(tokens.get(i), "EXCEPTION") && is(tokens.get(i + 1), "WHEN")) {
                int begin = blockStart(tokens, i);
                boolean inside = writes(tokens, begin, i);
                boolean outside = writes(tokens, 0, begin) || writes(tokens, i, tokens.size());
                section(tokens, i + 1, handlers, inside || !outside);
            }
        }
        return handlers;
    }

    private static final Set<String> WRITES = Set.of("INSERT", "UPDATE", "MERGE");

    private static boolean writes(List<String> tokens, int from, int to) {
        for (int k = Math.max(0, from); k < to; k++) {
            String t = tokens.get(k).toUpperCase(Locale.ROOT);
            // "DO UPDATE SET" is part of an INSERT already counted; "FOR UPDATE" locks, it does not write.
            if (WRITES.contains(t) && !(k > 0 && (is(tokens.get(k - 1), "DO") || is(tokens.get(k - 1), "FOR")))) {
                return true;
            }
        }
        return false;
    }

    /** The BEGIN of the block whose EXCEPTION is at {@code exception}, walking back over nested blocks. */
    private static int blockStart(List<String> tokens, int exception) {
        int depth = 0;
        for (int j = exception - 1; j >= 0; j--) {
            String t = tokens.get(j);
            String next = j + 1 < tokens.size() ? tokens.get(j + 1) : "";
            if (is(t, "END")) {
                if (!is(next, "IF") && !is(next, "LOOP")) {
                    depth++; // a block's END, or a CASE's (closed by its CASE below)
                }
            } else if (is(t, "BEGIN") || is(t, "CASE") && !(j > 0 && is(tokens.get(j - 1), "END"))) {
                if (depth == 0) {
                    if (is(t, "BEGIN")) {
                        return j;
                    }
                } else {
                    depth--;
                }
            }
        }
        return 0;
    }

    /** Words that take parentheses but are not calls of a function by that name. */
    private static final Set<String> NOT_CALLS = Set.of("IF", "ELSIF", "WHEN", "IN", "VALUES", "EXISTS", "AND",
            "OR", "NOT", "CONFLICT", "OVER", "FILTER", "USING", "ANY", "ALL", "SOME", "ARRAY", "ROW", "CAST",
            "COALESCE", "NULLIF", "GREATEST", "LEAST", "EXTRACT", "POSITION", "SUBSTRING", "TRIM", "OVERLAY",
            "RETURN", "RETURNING", "SELECT", "AS", "THEN", "ELSE", "CASE", "WHERE", "SET", "LIKE", "ILIKE", "IS",
            "BETWEEN", "ON", "JOIN", "FROM", "EXECUTE", "PERFORM", "DO", "INTO", "TABLE", "WITH", "RAISE",
            "DISTINCT", "LATERAL", "BY", "QUERY", "LOOP", "WHILE", "FOR", "END", "DEFAULT", "KEY", "UNIQUE",
            "CHECK", "CONSTRAINT", "FOREACH", "GROUPING", "PARTITION", "WINDOW", "UPDATE", "REFERENCES");

    /**
     * Functions the text calls by name, with their number of arguments. Type modifiers ({@code ::numeric(10,2)})
     * and table column lists ({@code INSERT INTO t (…)}) are not calls; calls inside string literals (dynamic
     * SQL) cannot be read.
     */
    List<Call> calls() {
        List<String> tokens = tokens();
        List<Call> calls = new ArrayList<>();
        for (int i = 0; i + 1 < tokens.size(); i++) {
            String t = tokens.get(i);
            if (!tokens.get(i + 1).equals("(") || !isName(t) || NOT_CALLS.contains(t.toUpperCase(Locale.ROOT))) {
                continue;
            }
            Optional<String> schema = Optional.empty();
            int first = i;
            if (i >= 2 && tokens.get(i - 1).equals(".") && isName(tokens.get(i - 2))) {
                schema = Optional.of(identifier(tokens.get(i - 2)));
                first = i - 2;
            }
            String before = first > 0 ? tokens.get(first - 1) : "";
            if (before.equals(":") || before.equals(".") || is(before, "INTO") || is(before, "TABLE")
                    || is(before, "UPDATE") || is(before, "REFERENCES") || is(before, "ONLY")) {
                continue; // a cast's type modifier, a column of a record, or a table and its column list
            }
            Call call = new Call(schema, identifier(t), arguments(tokens, i + 1));
            if (!calls.contains(call)) {
                calls.add(call);
            }
        }
        return calls;
    }

    /** Arguments between the parenthesis at {@code open} and its match: commas at depth one, plus one. */
    private static int arguments(List<String> tokens, int open) {
        int depth = 0;
        int commas = 0;
        boolean any = false;
        for (int k = open; k < tokens.size(); k++) {
            String t = tokens.get(k);
            if (t.equals("(")) {
                depth++;
                if (depth == 1) {
                    continue;
                }
            } else if (t.equals(")")) {
                depth--;
                if (depth == 0) {
                    break;
                }
            } else if (t.equals(",") && depth == 1) {
                commas++;
            }
            any = true;
        }
        return any ? commas + 1 : 0;
    }

    private static boolean isName(String token) {
        return token.startsWith("\"") || Character.isLetter(token.charAt(0)) || token.charAt(0) == '_';
    }

    private static final Pattern INSERT_COLUMNS = Pattern.compile("(?i)\\bINSERT\\s+INTO\\s+(" + NAME
            + ")(?:\\s*\\.\\s*(" + NAME + "))?"
            + "(?:\\s+(?:AS\\s+)?(?!VALUES\\b|SELECT\\b|DEFAULT\\b|OVERRIDING\\b|WITH\\b)(?:" + NAME + "))?"
            + "\\s*\\(([^()]*)\\)");

    /** The column lists of the text's INSERTs. */
    List<InsertColumns> insertColumns() {
        List<InsertColumns> inserts = new ArrayList<>();
        Matcher m = INSERT_COLUMNS.matcher(code);
        while (m.find()) {
            String first = identifier(m.group(1));
            Target t = m.group(2) == null ? new Target("INSERT INTO", Optional.empty(), first)
                    : new Target("INSERT INTO", Optional.of(first), identifier(m.group(2)));
            List<String> columns = new ArrayList<>();
            for (String c : m.group(3).split(",")) {
                String column = c.strip();
                if (!column.isEmpty()) {
                    columns.add(identifier(column));
                }
            }
            inserts.add(new InsertColumns(t, columns));
        }
        return inserts;
    }

    /**
     * IF statements whose condition reads {@code NEW} and whose first branch writes a table while no ELSE or
     * ELSIF branch does: identities that do not meet the condition get no profile.
     */
    List<GuardedWrite> guardedWrites() {
        List<String> tokens = tokens();
        List<GuardedWrite> guarded = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            if (!is(tokens.get(i), "IF") || (i > 0 && is(tokens.get(i - 1), "END"))) {
                continue;
            }
            int then = i + 1;
            while (then < tokens.size() && !is(tokens.get(then), "THEN")) {
                then++;
            }
            List<String> condition = tokens.subList(i + 1, Math.min(then, tokens.size()));
            if (condition.stream().noneMatch(t -> is(t, "NEW"))) {
                continue;
            }
            // The first branch runs to the ELSIF, ELSE or END IF at this IF's own depth.
            int depth = 0;
            int branchEnd = -1;
            int end = -1;
            for (int k = then + 1; k < tokens.size(); k++) {
                String t = tokens.get(k);
                if (is(t, "IF") && !is(tokens.get(k - 1), "END")) {
                    depth++;
                } else if (is(t, "END") && k + 1 < tokens.size() && is(tokens.get(k + 1), "IF")) {
                    if (depth == 0) {
                        end = k;
                        break;
                    }
                    depth--;
                } else if (depth == 0 && branchEnd < 0 && (is(t, "ELSIF") || is(t, "ELSE"))) {
                    branchEnd = k;
                }
            }
            if (end < 0) {
                continue;
            }
            int firstEnd = branchEnd < 0 ? end : branchEnd;
            if (writes(tokens, then + 1, firstEnd) && (branchEnd < 0 || !writes(tokens, branchEnd, end))) {
                guarded.add(new GuardedWrite(String.join(" ", condition).replace(" . ", ".")
                        .replace("- > >", "->>").replace("- >", "->")));
            }
        }
        return guarded;
    }

    /** Reads the handlers from the WHEN at {@code start} to the END that closes the block. */
    private static void section(List<String> tokens, int start, List<Handler> handlers, boolean guardsWrite) {
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
                    handlers.add(handler(conditions, body, guardsWrite));
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
            handlers.add(handler(conditions, body, guardsWrite));
        }
    }

    private static Handler handler(StringBuilder conditions, List<String> body, boolean guardsWrite) {
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
        return new Handler(conditions.toString().toUpperCase(Locale.ROOT), reraises, raises, guardsWrite);
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
        return SqlText.strip(body);
    }
}
