package io.ghostwatch.path;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Translates a condition over {@code NEW} (a trigger's WHEN, an IF in its function) into SQL over the identity
 * row, for the few shapes that say which identities a write reaches: a column {@code IS [NOT] NULL}, a boolean
 * column, {@code coalesce(column, true|false)}, comparisons with {@code true}/{@code false}, and {@code AND},
 * {@code OR}, {@code NOT} and parentheses over them. Anything else (string literals, JSON operators, function
 * calls, other tables) is not translatable, and says why. Column names are checked against the identity table's
 * columns and quoted anew: nothing of the function's text is copied into the SQL.
 *
 * <p>For an UPDATE trigger, the parts about {@code OLD} say when the write happens (the transition, e.g. the
 * first confirmation), not which identities have it afterwards: top-level conjuncts that read {@code OLD} are
 * dropped, and what is left (e.g. {@code NEW.email_confirmed_at IS NOT NULL}) selects the identities.
 */
final class PredicateReader {

    private final List<String> tokens;
    private final Set<String> columns;
    private final Optional<String> event;
    private int at;

    private PredicateReader(List<String> tokens, Set<String> columns, Optional<String> event) {
        this.tokens = tokens;
        this.columns = columns;
        this.event = event;
    }

    static Condition translate(List<String> tokens, Set<String> columns, boolean dropOld) {
        return translate(tokens, columns, dropOld, Optional.empty());
    }

    /**
     * @param tokens  the condition's tokens (from {@link PathText})
     * @param columns the identity table's column names
     * @param dropOld whether conjuncts that read {@code OLD} describe the transition (UPDATE triggers)
     * @param event   the event the function runs for, when only one ({@code TG_OP} is then known, and a test of
     *                it is a constant: a branch for another event is never taken)
     */
    static Condition translate(List<String> tokens, Set<String> columns, boolean dropOld, Optional<String> event) {
        String text = PathText.join(tokens);
        if (tokens.isEmpty()) {
            return Condition.ALWAYS;
        }
        List<List<String>> conjuncts = topLevelConjuncts(tokens);
        List<String> kept = new ArrayList<>();
        List<String> sql = new ArrayList<>();
        boolean droppedOld = false;
        for (List<String> c : conjuncts) {
            if (dropOld && c.stream().anyMatch(t -> t.equalsIgnoreCase("OLD"))) {
                droppedOld = true;
                continue;
            }
            try {
                refuseWhatCannotBeTranslated(c);
                PredicateReader r = new PredicateReader(c, columns, event);
                String s = r.or();
                if (r.at != c.size()) {
                    throw new NotTranslatable("'" + c.get(r.at) + "' where the condition should end");
                }
                if (s.equals(FALSE)) {
                    return Condition.NEVER;
                }
                if (s.equals(TRUE)) {
                    continue;
                }
                sql.add(s);
                kept.add(PathText.join(c));
            } catch (NotTranslatable e) {
                return Condition.untranslatable(text, e.getMessage());
            }
        }
        if (sql.isEmpty() && !droppedOld) {
            return Condition.ALWAYS;
        }
        if (sql.isEmpty()) {
            return Condition.untranslatable(text, "it only says when an update fires it (OLD against NEW), not"
                    + " which identities have the row afterwards");
        }
        return Condition.of(String.join(" AND ", kept), sql.size() == 1 ? sql.get(0)
                : "(" + String.join(" AND ", sql) + ")");
    }

    /** Splits at AND outside parentheses (an OR at the top level makes it one conjunct). */
    private static List<List<String>> topLevelConjuncts(List<String> all) {
        List<String> tokens = unwrapped(all);
        int depth = 0;
        for (String t : tokens) {
            depth += t.equals("(") ? 1 : t.equals(")") ? -1 : 0;
            if (depth == 0 && t.equalsIgnoreCase("OR")) {
                return List.of(tokens);
            }
        }
        List<List<String>> parts = new ArrayList<>();
        List<String> current = new ArrayList<>();
        depth = 0;
        for (String t : tokens) {
            depth += t.equals("(") ? 1 : t.equals(")") ? -1 : 0;
            if (depth == 0 && t.equalsIgnoreCase("AND")) {
                parts.add(current);
                current = new ArrayList<>();
            } else {
                current.add(t);
            }
        }
        parts.add(current);
        return parts;
    }

    /** The common reasons, said plainly before the grammar would stumble on them. */
    private static void refuseWhatCannotBeTranslated(List<String> tokens) {
        for (int k = 0; k + 1 < tokens.size(); k++) {
            if (tokens.get(k).equals("-") && tokens.get(k + 1).equals(">")) {
                throw new NotTranslatable("it reads the identity's JSON metadata (->, ->>)");
            }
        }
        if (tokens.contains("'s'")) {
            throw new NotTranslatable("it compares with a string literal");
        }
    }

    /** Without parentheses around the whole (PostgreSQL prints a WHEN clause wrapped twice). */
    private static List<String> unwrapped(List<String> tokens) {
        List<String> t = tokens;
        while (t.size() >= 2 && t.get(0).equals("(") && t.get(t.size() - 1).equals(")")) {
            int depth = 0;
            boolean closesAtEnd = true;
            for (int k = 0; k < t.size() - 1; k++) {
                depth += t.get(k).equals("(") ? 1 : t.get(k).equals(")") ? -1 : 0;
                if (depth == 0) {
                    closesAtEnd = false; // the first parenthesis closes before the end: (a) AND (b)
                    break;
                }
            }
            if (!closesAtEnd) {
                break;
            }
            t = t.subList(1, t.size() - 1);
        }
        return t;
    }

    // Constants (a test of TG_OP where the event is known) fold away, so a branch for another event is NEVER.
    private static final String TRUE = "true";
    private static final String FALSE = "false";

    private String or() {
        String left = and();
        while (peek("OR")) {
            at++;
            String right = and();
            left = left.equals(TRUE) || right.equals(TRUE) ? TRUE : left.equals(FALSE) ? right
                    : right.equals(FALSE) ? left : "(" + left + " OR " + right + ")";
        }
        return left;
    }

    private String and() {
        String left = not();
        while (peek("AND")) {
            at++;
            String right = not();
            left = left.equals(FALSE) || right.equals(FALSE) ? FALSE : left.equals(TRUE) ? right
                    : right.equals(TRUE) ? left : "(" + left + " AND " + right + ")";
        }
        return left;
    }

    private String not() {
        if (peek("NOT")) {
            at++;
            String inner = not();
            return inner.equals(TRUE) ? FALSE : inner.equals(FALSE) ? TRUE : "(NOT " + inner + ")";
        }
        return comparison();
    }

    private String comparison() {
        String left = primary();
        if (peek("IS")) {
            at++;
            boolean negated = false;
            if (peek("NOT")) {
                at++;
                negated = true;
            }
            String what = next().toUpperCase(Locale.ROOT);
            if (!Set.of("NULL", "TRUE", "FALSE").contains(what)) {
                throw new NotTranslatable("IS " + (negated ? "NOT " : "") + what);
            }
            return "(" + left + " IS " + (negated ? "NOT " : "") + what + ")";
        }
        if (peek("=") || (peek("<") && peekAt(1, ">")) || (peek("!") && peekAt(1, "="))) {
            boolean equal = peek("=");
            at += equal ? 1 : 2;
            String right = primary();
            return "(" + left + (equal ? " = " : " <> ") + right + ")";
        }
        return left;
    }

    private String primary() {
        String t = next();
        if (t.equals("(")) {
            String inner = or();
            expect(")");
            return inner;
        }
        if (t.equalsIgnoreCase("TRUE") || t.equalsIgnoreCase("FALSE")) {
            return t.toLowerCase(Locale.ROOT);
        }
        if (t.startsWith(PathText.TG_OP_IS)) {
            String tested = t.substring(PathText.TG_OP_IS.length());
            return event.map(e -> e.equals(tested) ? TRUE : FALSE).orElseThrow(() -> new NotTranslatable(
                    "it tests TG_OP, and the trigger fires on more than one event"));
        }
        // The row a condition is about: NEW, or OLD when the event is a delete (NEW is NULL there).
        boolean delete = event.filter("DELETE"::equals).isPresent();
        if ((delete ? t.equalsIgnoreCase("OLD") : t.equalsIgnoreCase("NEW")) && peek(".")) {
            at++;
            return column(next());
        }
        if (t.equalsIgnoreCase("COALESCE") && peek("(")) {
            at++;
            String first = primary();
            expect(",");
            String fallback = next();
            if (!fallback.equalsIgnoreCase("TRUE") && !fallback.equalsIgnoreCase("FALSE")) {
                throw new NotTranslatable("coalesce with " + fallback);
            }
            expect(")");
            return "coalesce(" + first + ", " + fallback.toLowerCase(Locale.ROOT) + ")";
        }
        if (t.equals("'s'")) {
            throw new NotTranslatable("it compares with a string literal");
        }
        if (t.equalsIgnoreCase("OLD")) {
            throw new NotTranslatable("it reads OLD inside OR or NOT");
        }
        throw new NotTranslatable("'" + t + "'");
    }

    private String column(String written) {
        String name = PathText.identifier(written);
        if (!columns.contains(name)) {
            throw new NotTranslatable("NEW." + name + " is not a column of the identity table");
        }
        return Condition.ALIAS + "." + PathText.quote(name);
    }

    private boolean peek(String token) {
        return peekAt(0, token);
    }

    private boolean peekAt(int offset, String token) {
        return at + offset < tokens.size() && tokens.get(at + offset).equalsIgnoreCase(token);
    }

    private String next() {
        if (at >= tokens.size()) {
            throw new NotTranslatable("it ends early");
        }
        return tokens.get(at++);
    }

    private void expect(String token) {
        String t = next();
        if (!t.equalsIgnoreCase(token)) {
            throw new NotTranslatable("'" + t + "' where '" + token + "' should be");
        }
    }

    private static final class NotTranslatable extends RuntimeException {
        NotTranslatable(String why) {
            super(why, null, false, false);
        }
    }
}
