package io.ghostwatch.path;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * When a write on the signup path happens, as read from a trigger's WHEN clause and the function's IFs and early
 * RETURNs: the text as written (string literals shown as {@code 's'}) and, where it can be written in SQL over the
 * identity row, that SQL. The SQL is built only from the identity table's own column names (quoted here) and
 * keywords, never from the function's text, so it may be run against the watched database.
 *
 * @param text        what the function or trigger says, e.g. {@code NOT NEW.is_anonymous}; empty: always
 * @param sql         the same over the identity row, {@code {i}} standing for its alias; empty when not translatable
 * @param untranslatable why not, when {@code sql} is empty
 */
public record Condition(String text, Optional<String> sql, Optional<String> untranslatable) {

    static final String ALIAS = "{i}";

    /** No condition: every identity. */
    public static final Condition ALWAYS = new Condition("", Optional.of("true"), Optional.empty());

    /** Never holds: a branch for another event ({@code TG_OP}), or what an unconditional RETURN leaves. */
    public static final Condition NEVER = new Condition("false", Optional.of("false"), Optional.empty());

    public boolean always() {
        return text.isEmpty();
    }

    public boolean never() {
        return sql.filter("false"::equals).isPresent();
    }

    public boolean translatable() {
        return sql.isPresent();
    }

    /** The SQL over the identity row aliased {@code alias}. */
    public Optional<String> sqlFor(String alias) {
        return sql.map(s -> s.replace(ALIAS, alias));
    }

    static Condition of(String text, String sql) {
        return new Condition(text, Optional.of(sql), Optional.empty());
    }

    static Condition untranslatable(String text, String why) {
        return new Condition(text, Optional.empty(), Optional.of(why));
    }

    /** Both hold. */
    Condition and(Condition other) {
        if (never() || other.never()) {
            return NEVER;
        }
        if (always()) {
            return other;
        }
        if (other.always()) {
            return this;
        }
        String t = "(" + text + ") AND (" + other.text + ")";
        if (translatable() && other.translatable()) {
            return of(t, "(" + sql.get() + " AND " + other.sql.get() + ")");
        }
        return untranslatable(t, untranslatable.orElseGet(() -> other.untranslatable.orElse("")));
    }

    /** Does not hold: an IF's ELSE branch, or what an early RETURN leaves. */
    Condition not() {
        if (always()) {
            return NEVER;
        }
        if (never()) {
            return ALWAYS;
        }
        // A NULL condition takes no IF branch, so the ELSE side is "not true", not "false"; the text says so too,
        // so that reading it again gives the same SQL.
        String t = "(" + text + ") IS NOT TRUE";
        return sql.map(s -> of(t, "(" + s + " IS NOT TRUE)")).orElseGet(() -> untranslatable(t,
                untranslatable.orElse("")));
    }

    /** Either holds: a table written on several branches or by several triggers. */
    static Condition anyOf(List<Condition> all) {
        if (all.isEmpty() || all.stream().anyMatch(Condition::always)) {
            return ALWAYS;
        }
        List<Condition> conditions = all.stream().filter(c -> !c.never()).toList();
        if (conditions.isEmpty()) {
            return NEVER;
        }
        if (conditions.size() == 1) {
            return conditions.get(0);
        }
        List<String> texts = new ArrayList<>();
        List<String> sqls = new ArrayList<>();
        Optional<String> why = Optional.empty();
        for (Condition c : conditions) {
            texts.add("(" + c.text + ")");
            c.sql.ifPresent(sqls::add);
            if (why.isEmpty()) {
                why = c.untranslatable;
            }
        }
        String t = String.join(" OR ", texts);
        return sqls.size() == conditions.size() ? of(t, "(" + String.join(" OR ", sqls) + ")")
                : untranslatable(t, why.orElse(""));
    }
}
