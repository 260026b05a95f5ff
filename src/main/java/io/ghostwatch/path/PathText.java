package io.ghostwatch.path;

import io.ghostwatch.sql.SqlText;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a PL/pgSQL trigger function for the signup path: the tables it writes (INSERT, upsert, UPDATE), the
 * column that receives the identity's id, the functions it calls, and the condition each write sits under (the
 * IFs around it, the early RETURNs before it). Comments are dropped and string literals become {@code 's'}
 * first, so text inside strings (dynamic SQL, messages) is never read as code. A reading of text, not a parse:
 * what it cannot follow (CASE, exception handlers, loops) is said, never guessed.
 */
final class PathText {

    private static final Pattern TOKEN = Pattern.compile("\"(?:[^\"]|\"\")*\"|'s'|[A-Za-z_][A-Za-z0-9_$]*|;|\\S");
    private static final Set<String> STATEMENT_START = Set.of(";", "THEN", "ELSE", "LOOP", "BEGIN");

    /**
     * A write as the text has it.
     *
     * @param verb      {@code INSERT} (also with ON CONFLICT DO NOTHING), {@code UPSERT} (ON CONFLICT DO UPDATE) or
     *                  {@code UPDATE}
     * @param schema    empty when the table is not schema-qualified
     * @param keyColumn the column that receives {@code NEW.<identity id>}, when the text shows it
     * @param guard     when it happens
     * @param copies    columns it fills with the identity's own value, exactly {@code NEW.<column>}: written
     *                  column -> identity column
     */
    record Write(String verb, Optional<String> schema, String table, Optional<String> keyColumn, Condition guard,
                 Map<String, String> copies) {
    }

    /** A function called by name, with the argument that passes the identity's id (0-based), if one does. */
    record Call(Optional<String> schema, String name, int arguments, Optional<Integer> idArgument, Condition guard) {
    }

    /**
     * A RETURN as the text has it: what it returns (upper-cased when a keyword such as {@code NULL}, {@code NEW},
     * {@code OLD}; empty for a bare RETURN) and when it is reached.
     */
    record Return(String value, Condition guard) {
    }

    /** Everything read from one function's text. */
    record Reading(List<Write> writes, List<Call> calls, List<Return> returns) {
    }

    /** The token a test of {@code TG_OP} against an event becomes, e.g. {@code TG_OP_IS_DELETE}. */
    static final String TG_OP_IS = "TG_OP_IS_";
    private static final String EVENT = "'(INSERT|UPDATE|DELETE|TRUNCATE)'";
    private static final Pattern TG_OP_EQUALS = Pattern.compile(
            "\\b(?i:TG_OP)\\s*(=|<>|!=)\\s*" + EVENT + "|" + EVENT + "\\s*(=|<>|!=)\\s*(?i:TG_OP)\\b");
    private static final Pattern TG_OP_IN = Pattern.compile("\\b(?i:TG_OP)\\s+(?i:(NOT)\\s+)?(?i:IN)\\s*\\(\\s*("
            + EVENT + "(?:\\s*,\\s*" + EVENT + ")*)\\s*\\)");

    private enum Kind { BLOCK, IF, CASE, LOOP, HANDLER }

    /** An open block, IF, CASE or loop, with the condition its current branch adds. */
    private static final class Frame {
        final Kind kind;
        final List<Condition> branches = new ArrayList<>();
        Condition current;

        Frame(Kind kind, Condition current) {
            this.kind = kind;
            this.current = current;
        }
    }

    private final List<String> tokens;
    private final Set<String> columns;
    private final String identityId;
    private final boolean dropOld;
    private final Optional<String> idParameter;
    private final Optional<String> event;

    private PathText(List<String> tokens, Set<String> columns, String identityId, boolean dropOld,
                     Optional<String> idParameter, Optional<String> event) {
        this.tokens = tokens;
        this.columns = columns;
        this.identityId = identityId;
        this.dropOld = dropOld;
        this.idParameter = idParameter;
        this.event = event;
    }

    /** A trigger function run on INSERT. */
    static Reading read(String body, Set<String> columns, String identityId) {
        return read(body, columns, identityId, false, Optional.empty());
    }

    /**
     * @param columns     the identity table's columns, for translating conditions
     * @param identityId  the identity table's id column: {@code NEW.<it>} marks the key column of a write
     * @param dropOld     run by an UPDATE trigger: conditions' parts about OLD say when, not whom
     * @param idParameter in a called function, the parameter the caller passed the id in ({@code name} or
     *                    {@code $n}), which marks the key column instead
     */
    static Reading read(String body, Set<String> columns, String identityId, boolean dropOld,
                        Optional<String> idParameter) {
        return read(body, columns, identityId, dropOld, idParameter, Optional.empty());
    }

    /** @param event the one event the function runs for here, if only one: {@code TG_OP} is then known */
    static Reading read(String body, Set<String> columns, String identityId, boolean dropOld,
                        Optional<String> idParameter, Optional<String> event) {
        return new PathText(tokens(body), columns, identityId, dropOld, idParameter, event).walk();
    }

    /**
     * Whether the text runs dynamic SQL ({@code EXECUTE <string>} as a statement): what such a statement writes
     * cannot be read, so the path says so rather than pass it by.
     */
    static boolean executesDynamicSql(String body) {
        List<String> t = tokens(body);
        for (int i = 0; i + 1 < t.size(); i++) {
            if (is(t.get(i), "EXECUTE") && (i == 0 || STATEMENT_START.contains(t.get(i - 1).toUpperCase(Locale.ROOT)))
                    && !is(t.get(i + 1), "FUNCTION") && !is(t.get(i + 1), "PROCEDURE")) {
                return true;
            }
        }
        return false;
    }

    static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(SqlText.strip(eventTests(text)));
        while (m.find()) {
            tokens.add(m.group());
        }
        return tokens;
    }

    /**
     * Tests of {@code TG_OP} against an event's name, before string literals are blanked: each becomes a token
     * ({@code TG_OP_IS_DELETE}) a condition can evaluate once the event is known. Text in comments or strings
     * that looks the same is dropped or blanked afterwards all the same.
     */
    static String eventTests(String text) {
        Matcher eq = TG_OP_EQUALS.matcher(text);
        StringBuilder out = new StringBuilder();
        while (eq.find()) {
            String op = eq.group(1) != null ? eq.group(1) : eq.group(4);
            String event = eq.group(2) != null ? eq.group(2) : eq.group(3);
            eq.appendReplacement(out, Matcher.quoteReplacement(
                    (op.equals("=") ? " (" : " (NOT ") + TG_OP_IS + event + ") "));
        }
        eq.appendTail(out);
        Matcher in = TG_OP_IN.matcher(out.toString());
        StringBuilder listed = new StringBuilder();
        while (in.find()) {
            List<String> any = new ArrayList<>();
            for (String e : in.group(2).split(",")) {
                any.add(TG_OP_IS + e.trim().replace("'", ""));
            }
            in.appendReplacement(listed, Matcher.quoteReplacement((in.group(1) != null ? " (NOT (" : " ((")
                    + String.join(" OR ", any) + ")) "));
        }
        in.appendTail(listed);
        return listed.toString();
    }

    private Reading walk() {
        List<Write> writes = new ArrayList<>();
        List<Call> calls = new ArrayList<>();
        List<Return> returns = new ArrayList<>();
        Deque<Frame> frames = new ArrayDeque<>();
        Condition afterReturns = Condition.ALWAYS;
        boolean unreachable = false;
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            String previous = i > 0 ? tokens.get(i - 1).toUpperCase(Locale.ROOT) : ";";
            if (is(t, "IF") && !previous.equals("END")) {
                int then = find(i + 1, "THEN");
                Condition c = condition(i + 1, then);
                Frame f = new Frame(Kind.IF, c);
                f.branches.add(c);
                frames.push(f);
                i = then;
            } else if (is(t, "ELSIF") && !frames.isEmpty() && frames.peek().kind == Kind.IF) {
                int then = find(i + 1, "THEN");
                Condition c = condition(i + 1, then);
                Frame f = frames.peek();
                f.current = none(f.branches).and(c);
                f.branches.add(c);
                i = then;
            } else if (is(t, "ELSE") && !frames.isEmpty() && frames.peek().kind == Kind.IF) {
                frames.peek().current = none(frames.peek().branches);
            } else if (is(t, "CASE") && STATEMENT_START.contains(previous)) {
                frames.push(new Frame(Kind.CASE, Condition.untranslatable("CASE …", "it sits in a CASE statement")));
            } else if (is(t, "CASE")) {
                i = endOfCaseExpression(i);
            } else if (is(t, "LOOP") && !previous.equals("END")) {
                frames.push(new Frame(Kind.LOOP, Condition.ALWAYS));
            } else if (is(t, "BEGIN")) {
                frames.push(new Frame(Kind.BLOCK, Condition.ALWAYS));
            } else if (is(t, "EXCEPTION") && i + 1 < tokens.size() && is(tokens.get(i + 1), "WHEN")) {
                frames.push(new Frame(Kind.HANDLER, Condition.untranslatable("EXCEPTION WHEN …",
                        "it runs only in an exception handler")));
            } else if (is(t, "END")) {
                String next = i + 1 < tokens.size() ? tokens.get(i + 1).toUpperCase(Locale.ROOT) : ";";
                Kind closes = switch (next) {
                    case "IF" -> Kind.IF;
                    case "CASE" -> Kind.CASE;
                    case "LOOP" -> Kind.LOOP;
                    default -> Kind.BLOCK;
                };
                pop(frames, closes);
                if (closes != Kind.BLOCK) {
                    i++;
                }
            } else if (is(t, "RETURN") && STATEMENT_START.contains(previous)) {
                Condition taken = guard(frames);
                if (!unreachable && !taken.and(afterReturns).never()) {
                    String value = i + 1 < tokens.size() && !tokens.get(i + 1).equals(";") ? tokens.get(i + 1) : "";
                    boolean keyword = Set.of("NULL", "NEW", "OLD").contains(value.toUpperCase(Locale.ROOT))
                            && (i + 2 >= tokens.size() || tokens.get(i + 2).equals(";"));
                    returns.add(new Return(keyword ? value.toUpperCase(Locale.ROOT) : value.isEmpty() ? ""
                            : join(tokens.subList(i + 1, statementEnd(i + 1))), taken.and(afterReturns)));
                }
                if (taken.always() && frames.stream().noneMatch(f -> f.kind == Kind.HANDLER)) {
                    unreachable = depth(frames) <= 1;
                } else {
                    afterReturns = afterReturns.and(taken.not());
                }
            } else if (!unreachable && is(t, "INSERT") && i + 1 < tokens.size() && is(tokens.get(i + 1), "INTO")) {
                insert(i + 2, guard(frames).and(afterReturns)).filter(w -> !w.guard().never()).ifPresent(writes::add);
            } else if (!unreachable && is(t, "UPDATE") && !previous.equals("DO") && !previous.equals("FOR")
                    && !previous.equals("OF") && !previous.equals("OR")) {
                update(i + 1, guard(frames).and(afterReturns)).filter(w -> !w.guard().never()).ifPresent(writes::add);
            } else if (!unreachable && (is(t, "PERFORM") || is(t, "SELECT") && STATEMENT_START.contains(previous)
                    || t.equals("=") && previous.equals(":"))) {
                call(i + 1, guard(frames).and(afterReturns)).filter(c -> !c.guard().never()).ifPresent(calls::add);
            }
        }
        return new Reading(writes, calls, returns);
    }

    /** Pops frames up to and including the innermost of the kind an END closes (a handler goes with its block). */
    private static void pop(Deque<Frame> frames, Kind closes) {
        while (!frames.isEmpty()) {
            Frame f = frames.pop();
            if (f.kind == closes) {
                return;
            }
        }
    }

    private static int depth(Deque<Frame> frames) {
        return (int) frames.stream().filter(f -> f.kind == Kind.BLOCK).count();
    }

    private static Condition guard(Deque<Frame> frames) {
        Condition c = Condition.ALWAYS;
        for (Frame f : frames) {
            c = f.current.and(c);
        }
        return c;
    }

    /** The ELSE branch: none of the earlier branches held. */
    private static Condition none(List<Condition> branches) {
        Condition c = Condition.ALWAYS;
        for (Condition b : branches) {
            c = c.and(b.not());
        }
        return c;
    }

    private Condition condition(int from, int to) {
        return PredicateReader.translate(tokens.subList(from, to), columns, dropOld, event);
    }

    private int find(int from, String keyword) {
        for (int k = from; k < tokens.size(); k++) {
            if (is(tokens.get(k), keyword)) {
                return k;
            }
        }
        return tokens.size();
    }

    private int endOfCaseExpression(int at) {
        int depth = 0;
        for (int k = at; k < tokens.size(); k++) {
            if (is(tokens.get(k), "CASE")) {
                depth++;
            } else if (is(tokens.get(k), "END")) {
                depth--;
                if (depth == 0) {
                    return k;
                }
            }
        }
        return tokens.size();
    }

    private int statementEnd(int from) {
        int k = from;
        while (k < tokens.size() && !tokens.get(k).equals(";")) {
            k++;
        }
        return k;
    }

    /** {@code INSERT INTO t [(cols)] VALUES (…) | SELECT …} from the table name on. */
    private Optional<Write> insert(int at, Condition guard) {
        int end = statementEnd(at);
        Optional<Name> name = name(at, end);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> schema = name.get().schema();
        String table = name.get().table();
        int k = name.get().next();
        if (k < end && isName(tokens.get(k)) && !is(tokens.get(k), "VALUES") && !is(tokens.get(k), "SELECT")
                && !is(tokens.get(k), "DEFAULT") && !is(tokens.get(k), "OVERRIDING")) {
            k += is(tokens.get(k), "AS") ? 2 : 1; // an alias
        }
        List<String> columns = new ArrayList<>();
        if (k < end && tokens.get(k).equals("(")) {
            int close = matching(k);
            for (List<String> c : split(k + 1, close)) {
                if (c.size() == 1) {
                    columns.add(identifier(c.get(0)));
                }
            }
            k = close + 1;
        }
        List<List<String>> values = List.of();
        if (k < end && is(tokens.get(k), "VALUES") && k + 1 < end && tokens.get(k + 1).equals("(")) {
            values = split(k + 2, matching(k + 1));
        } else if (k < end && is(tokens.get(k), "SELECT")) {
            values = split(k + 1, SqlText.selectListEnd(tokens, k + 1, end));
        }
        Optional<String> key = Optional.empty();
        Map<String, String> copies = new LinkedHashMap<>();
        for (int v = 0; v < values.size() && v < columns.size(); v++) {
            if (isNewId(values.get(v))) {
                key = Optional.of(columns.get(v));
            }
            String target = columns.get(v);
            newColumn(values.get(v)).ifPresent(from -> copies.put(target, from));
        }
        // ON CONFLICT … DO UPDATE also updates (and reads) the row; DO NOTHING is an insert that skips conflicts.
        boolean upsert = false;
        for (int s = k; s + 2 < end; s++) {
            if (is(tokens.get(s), "DO") && is(tokens.get(s + 1), "UPDATE") && is(tokens.get(s + 2), "SET")) {
                upsert = true;
            }
        }
        return Optional.of(new Write(upsert ? "UPSERT" : "INSERT", schema, identifier(table), key, guard, copies));
    }

    /** A table name as written, {@code t} or {@code s.t}, and the index after it. */
    private record Name(Optional<String> schema, String table, int next) {
    }

    private Optional<Name> name(int at, int end) {
        if (at >= end || !isName(tokens.get(at))) {
            return Optional.empty();
        }
        String first = tokens.get(at);
        if (at + 2 < end && tokens.get(at + 1).equals(".") && isName(tokens.get(at + 2))) {
            return Optional.of(new Name(Optional.of(identifier(first)), tokens.get(at + 2), at + 3));
        }
        return Optional.of(new Name(Optional.empty(), first, at + 1));
    }

    /** {@code UPDATE [ONLY] t [[AS] alias] SET … WHERE col = NEW.id} from after UPDATE. */
    private Optional<Write> update(int at, Condition guard) {
        int end = statementEnd(at);
        int k = at;
        if (k < end && is(tokens.get(k), "ONLY")) {
            k++;
        }
        Optional<Name> name = name(k, end);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> schema = name.get().schema();
        String table = name.get().table();
        k = name.get().next();
        int set = k;
        while (set < end && !is(tokens.get(set), "SET")) {
            set++;
        }
        if (set >= end || set - k > 2) {
            return Optional.empty(); // not an UPDATE statement (a trigger event list, FOR UPDATE, …)
        }
        Optional<String> key = Optional.empty();
        Map<String, String> copies = new LinkedHashMap<>();
        int where = set;
        while (where < end && !is(tokens.get(where), "WHERE")) {
            where++;
        }
        for (List<String> assignment : split(set + 1, where)) {
            // col = NEW.other in the SET list
            if (assignment.size() == 5 && isName(assignment.get(0)) && assignment.get(1).equals("=")) {
                String target = identifier(assignment.get(0));
                newColumn(assignment.subList(2, 5)).ifPresent(from -> copies.put(target, from));
            }
        }
        for (int w = set; w + 3 <= end; w++) {
            // col = NEW.id, or NEW.id = col (the column possibly alias-qualified)
            if (tokens.get(w).equals("=") && isNewId(tokens.subList(w + 1, Math.min(end, w + 4)))
                    && isName(tokens.get(w - 1))) {
                key = Optional.of(identifier(tokens.get(w - 1)));
            } else if (w + 4 < end && isNewId(tokens.subList(w, w + 3)) && tokens.get(w + 3).equals("=")
                    && isName(tokens.get(w + 4))) {
                int c = w + 4;
                if (c + 2 < end && tokens.get(c + 1).equals(".") && isName(tokens.get(c + 2))) {
                    c += 2;
                }
                key = Optional.of(identifier(tokens.get(c)));
            }
        }
        return Optional.of(new Write("UPDATE", schema, identifier(table), key, guard, copies));
    }

    /** {@code name(args)} or {@code schema.name(args)} at a statement's start (PERFORM, SELECT, :=). */
    private Optional<Call> call(int at, Condition guard) {
        if (at + 2 >= tokens.size() || !isName(tokens.get(at))) {
            return Optional.empty();
        }
        int k = at;
        Optional<String> schema = Optional.empty();
        String name = tokens.get(k++);
        if (tokens.get(k).equals(".") && k + 1 < tokens.size() && isName(tokens.get(k + 1))) {
            schema = Optional.of(identifier(name));
            name = tokens.get(k + 1);
            k += 2;
        }
        if (k >= tokens.size() || !tokens.get(k).equals("(")) {
            return Optional.empty();
        }
        List<List<String>> args = split(k + 1, matching(k));
        Optional<Integer> id = Optional.empty();
        for (int a = 0; a < args.size(); a++) {
            if (isNewId(args.get(a))) {
                id = Optional.of(a);
            }
        }
        return Optional.of(new Call(schema, identifier(name), args.size(), id, guard));
    }

    /** The identity column an expression is exactly, {@code NEW.<column>}; never in a called function. */
    private Optional<String> newColumn(List<String> expression) {
        if (idParameter.isPresent() || expression.size() != 3 || !is(expression.get(0), "NEW")
                || !expression.get(1).equals(".") || !isName(expression.get(2))) {
            return Optional.empty();
        }
        return Optional.of(identifier(expression.get(2)));
    }

    private boolean isNewId(List<String> expression) {
        if (idParameter.isPresent()) {
            String p = idParameter.get();
            return expression.size() == 1 && identifier(expression.get(0)).equals(p)
                    || expression.size() == 2 && expression.get(0).equals("$") && p.equals("$" + expression.get(1));
        }
        return expression.size() == 3 && is(expression.get(0), "NEW") && expression.get(1).equals(".")
                && identifier(expression.get(2)).equals(identityId);
    }

    private int matching(int open) {
        int depth = 0;
        for (int k = open; k < tokens.size(); k++) {
            depth += tokens.get(k).equals("(") ? 1 : tokens.get(k).equals(")") ? -1 : 0;
            if (depth == 0) {
                return k;
            }
        }
        return tokens.size();
    }

    /** The comma-separated parts between {@code from} and {@code to}, commas inside parentheses kept. */
    private List<List<String>> split(int from, int to) {
        return SqlText.splitTopLevel(tokens, from, to);
    }

    private static boolean is(String token, String keyword) {
        return token.equalsIgnoreCase(keyword);
    }

    private static boolean isName(String token) {
        return token.startsWith("\"") || Character.isLetter(token.charAt(0)) || token.charAt(0) == '_';
    }

    /** Tokens back to text: {@code NEW.x IS NOT NULL}. */
    static String join(List<String> tokens) {
        return String.join(" ", tokens).replace(" . ", ".").replace("( ", "(").replace(" )", ")")
                .replace(" ,", ",");
    }

    /** Unquotes a quoted identifier; folds an unquoted one to lower case, as PostgreSQL does. */
    static String identifier(String written) {
        if (written.startsWith("\"")) {
            return written.substring(1, written.length() - 1).replace("\"\"", "\"");
        }
        return written.toLowerCase(Locale.ROOT);
    }

    /** A name as an identifier in SQL, always quoted. */
    static String quote(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }
}
