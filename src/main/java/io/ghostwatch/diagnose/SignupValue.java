package io.ghostwatch.diagnose;

import io.ghostwatch.sql.SqlText;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where a value a signup path writes comes from in the new identity's row, as its expression shows: the e-mail,
 * the phone, or a key of the user metadata (what the signup form or the OAuth provider sent); whether a NULL
 * there reaches the column; what the expression derives from it and what it casts it to. A reading of text.
 *
 * @param source    {@code email}, {@code phone} or {@code raw_user_meta_data}
 * @param key       the metadata key ({@code ->>'age'}; a path as {@code a->b}); empty for the e-mail and phone
 * @param nullSafe  a {@code coalesce}, {@code concat} or {@code format} (which never return NULL for a missing
 *                  value) or a CASE stands in the expression
 * @param functions the functions applied, outermost first, lower-cased
 * @param castTo    the first cast to a type other than text or JSON, as written ({@code integer},
 *                  {@code public.app_role})
 * @param guarded   a CASE or a pattern match tests the value before it is used
 * @param perIdentity the expression also takes the identity's id, which makes it unique per identity
 * @param written   the expression as written
 */
record SignupValue(String source, Optional<String> key, boolean nullSafe, List<String> functions,
                   Optional<String> castTo, boolean guarded, boolean perIdentity, String written) {

    private static final Set<String> SOURCES = Set.of("email", "phone", "raw_user_meta_data");
    private static final Set<String> NULL_SAFE = Set.of("coalesce", "concat", "concat_ws", "format");
    private static final Set<String> TEXT_TYPES = Set.of("text", "varchar", "character", "char", "bpchar", "json",
            "jsonb", "name", "citext");
    /** Functions that keep the whole value (case, spaces): not a derivation that makes two people's values equal. */
    private static final Set<String> WHOLE = Set.of("lower", "upper", "trim", "btrim", "ltrim", "rtrim", "coalesce",
            "nullif");

    /**
     * @param e          the expression's tokens
     * @param identityId the identity table's id column: an expression that also takes {@code NEW.<id>} is unique
     *                   per identity, and reported as null-safe only for what it says
     */
    static Optional<SignupValue> of(List<String> e, String identityId) {
        for (int i = 0; i + 2 < e.size(); i++) {
            if (!InsertValues.is(e.get(i), "NEW") || !e.get(i + 1).equals(".")
                    || !SqlText.isName(e.get(i + 2))) {
                continue;
            }
            String column = SqlText.identifier(e.get(i + 2));
            if (!SOURCES.contains(column)) {
                continue;
            }
            Optional<String> key = Optional.empty();
            if (column.equals("raw_user_meta_data")) {
                List<String> path = new ArrayList<>();
                int k = i + 3;
                while (k + 1 < e.size()) {
                    if ((e.get(k).equals("->>") || e.get(k).equals("->")) && e.get(k + 1).startsWith("'")) {
                        path.add(literal(e.get(k + 1)));
                        k += 2;
                    } else if (e.get(k).equals("[") && e.get(k + 1).startsWith("'") && k + 2 < e.size()
                            && e.get(k + 2).equals("]")) {
                        path.add(literal(e.get(k + 1))); // jsonb subscript, as Supabase's docs write it
                        k += 3;
                    } else {
                        break;
                    }
                }
                if (path.isEmpty()) {
                    continue; // the whole metadata document: NULL only for a signup without any
                }
                key = Optional.of(String.join("->", path));
            }
            List<String> functions = new ArrayList<>();
            boolean guarded = false;
            for (int k = 0; k < e.size(); k++) {
                String t = e.get(k);
                if (k + 1 < e.size() && e.get(k + 1).equals("(") && SqlText.isName(t)
                        && !InsertValues.is(t, "CAST")) {
                    functions.add(t.toLowerCase(Locale.ROOT));
                }
                guarded |= InsertValues.is(t, "CASE") || t.equals("~") || InsertValues.is(t, "SIMILAR");
            }
            boolean nullSafe = guarded || functions.stream().anyMatch(NULL_SAFE::contains);
            boolean perIdentity = false;
            for (int k = 0; k + 2 < e.size(); k++) {
                perIdentity |= InsertValues.is(e.get(k), "NEW") && e.get(k + 1).equals(".")
                        && SqlText.identifier(e.get(k + 2)).equals(identityId);
            }
            return Optional.of(new SignupValue(column, key, nullSafe, List.copyOf(functions), cast(e), guarded,
                    perIdentity, join(e)));
        }
        return Optional.empty();
    }

    /** Derived so that two different people's values can be equal: a part of the e-mail, a name they chose. */
    boolean derived() {
        return key.isPresent() || functions.stream().anyMatch(f -> !WHOLE.contains(f));
    }

    /** How the text names it: {@code NEW.email}, {@code NEW.raw_user_meta_data->>'age'}. */
    String origin() {
        return "NEW." + source + key.map(k -> "->>'" + k + "'").orElse("");
    }

    private static Optional<String> cast(List<String> e) {
        for (int k = 0; k + 1 < e.size(); k++) {
            boolean colons = e.get(k).equals("::");
            boolean as = InsertValues.is(e.get(k), "AS") && e.stream().anyMatch(t -> InsertValues.is(t, "CAST"));
            if ((colons || as) && SqlText.isName(e.get(k + 1))) {
                String type = SqlText.identifier(e.get(k + 1));
                if (k + 3 < e.size() && e.get(k + 2).equals(".") && SqlText.isName(e.get(k + 3))) {
                    type = type + "." + SqlText.identifier(e.get(k + 3));
                }
                if (!TEXT_TYPES.contains(type.substring(type.lastIndexOf('.') + 1))) {
                    return Optional.of(type);
                }
            }
        }
        return Optional.empty();
    }

    private static String literal(String token) {
        return token.substring(1, token.length() - 1).replace("''", "'");
    }

    private static String join(List<String> tokens) {
        return String.join(" ", tokens).replace(" . ", ".").replace("( ", "(").replace(" )", ")").replace(" ,", ",")
                .replace(" :: ", "::").replace(" ->> ", "->>").replace(" -> ", "->").replace(" [ ", "[").replace(" ]", "]")
                .replaceAll("([A-Za-z0-9_\"]) \\(", "$1(");
    }
}
