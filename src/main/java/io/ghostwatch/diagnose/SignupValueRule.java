package io.ghostwatch.diagnose;

import io.ghostwatch.path.PathWrite;
import io.ghostwatch.sql.Sql;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Values a signup's own row supplies (its e-mail, phone, metadata keys) written at signup into columns that
 * reject them for some kinds of signup: a NULL into a NOT NULL column (a phone signup has no e-mail), a derived
 * value into a UNIQUE one (two addresses' local parts, a name two people choose, the e-mail of a user who comes
 * back while the old profile keeps it), metadata text cast to a type a form's blank field is not. Each fails those
 * signups only, with the auth server's "Database error saving new user"; the rest commit. Read from the text of
 * every function on the path that writes at signup, checked against the catalog.
 */
final class SignupValueRule implements CauseRule {

    /** Per column of each written table: NOT NULL, its unique indexes, and whether rows outlive their identity. */
    private static final String COLUMNS = Sql.byName("""
            SELECT t.nsp, t.rel, a.attname::text,
                   a.attnotnull OR EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k
                       WHERE k.conrelid = a.attrelid AND k.contype = 'c' AND k.conkey = ARRAY[a.attnum]
                         AND pg_catalog.pg_get_constraintdef(k.oid) ILIKE '%IS NOT NULL%'),
                   ARRAY(SELECT pg_catalog.format('%I', ic.relname) || CASE WHEN i.indpred IS NULL THEN ''
                                ELSE ' (partial: ' || pg_catalog.pg_get_expr(i.indpred, i.indrelid) || ')' END
                         FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
                         WHERE i.indrelid = a.attrelid AND i.indisunique AND i.indnatts = 1
                           AND (i.indkey[0] = a.attnum OR i.indkey[0] = 0 AND a.attname ~ '^[a-z_][a-z0-9_]*$'
                                AND pg_catalog.pg_get_indexdef(i.indexrelid, 1, true)
                                    ~ ('(^|[^a-z0-9_"])' || a.attname || '($|[^a-z0-9_"])'))
                         ORDER BY i.indpred IS NOT NULL, ic.relname),
                   EXISTS (SELECT 1 FROM pg_catalog.pg_attribute d WHERE d.attrelid = a.attrelid
                           AND d.attname = 'deleted_at' AND NOT d.attisdropped),
                   EXISTS (SELECT 1 FROM pg_catalog.pg_constraint f WHERE f.conrelid = a.attrelid
                           AND f.contype = 'f' AND f.confrelid = pg_catalog.to_regclass(?) AND f.confdeltype = 'c')
            FROM ROWS FROM (pg_catalog.unnest(?::text[]), pg_catalog.unnest(?::text[])) AS t(nsp, rel)
            JOIN pg_catalog.pg_namespace n ON n.nspname = t.nsp
            JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = t.rel
            JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            """);

    /** Whether a type of that name (schema-qualified or not) is an enum: the cast then fails for any other text. */
    private static final String ENUM = """
            SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
                           WHERE t.typtype = 'e' AND t.typname = ?::name AND (?::name IS NULL OR n.nspname = ?::name))
            """;

    /** Types text casts to that a blank form field (an empty string) or free text fails: SQLSTATE 22P02/22007/22008. */
    private static final Set<String> STRICT_TYPES = Set.of("int", "int2", "int4", "int8", "integer", "smallint",
            "bigint", "numeric", "decimal", "real", "float", "float4", "float8", "double", "date", "timestamp",
            "timestamptz", "time", "timetz", "interval", "uuid", "boolean", "bool", "inet");

    /** A column's facts. */
    private record Column(boolean notNull, List<String> uniqueIndexes, boolean softDeletes, boolean cascades) {

        boolean uniqueWhole() {
            return uniqueIndexes.stream().anyMatch(i -> !i.contains(" (partial: "));
        }
    }

    /** One value of one write, with the function whose text has it. */
    private record Written(PathWrite write, String function, InsertValues.Value value, SignupValue signup) {
    }

    @Override
    public void find(CauseContext ctx, List<Cause> causes) throws SQLException {
        if (ctx.path().isEmpty()) {
            return;
        }
        List<Written> written = new java.util.ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        Map<String, List<InsertValues.Value>> inserts = new HashMap<>(); // each function's text read once
        for (PathWrite w : ctx.path().get().writes()) {
            if (!w.atSignup() || w.verb().equals("UPDATE") || w.schema().isEmpty()) {
                continue;
            }
            String function = w.via().get(w.via().size() - 1);
            Optional<PathFunctions.Text> text = ctx.functions().readable(function);
            if (text.isEmpty()) {
                continue;
            }
            for (InsertValues.Value v : inserts.computeIfAbsent(function, f -> InsertValues.read(text.get().body()))) {
                if (!v.into(w.schema().get(), w.table()) || !seen.add(function + "|" + w.where() + "|" + v.column())) {
                    continue;
                }
                SignupValue.of(v.expression(), ctx.schema().identityId().name())
                        .ifPresent(value -> written.add(new Written(w, function, v, value)));
            }
        }
        if (written.isEmpty()) {
            return;
        }
        Map<String, Column> columns = columns(ctx, written);
        for (Written x : written) {
            Column column = columns.get(x.write().where() + "." + x.value().column());
            if (column != null) {
                judge(ctx, x.write(), x.function(), x.value(), x.signup(), column, causes);
            }
        }
    }

    private static void judge(CauseContext ctx, PathWrite w, String function, InsertValues.Value v, SignupValue value,
                              Column column, List<Cause> causes) throws SQLException {
        String target = w.where() + "." + v.column();
        String chain = "trigger " + w.trigger() + " -> " + String.join(" -> ", w.via());
        String when = w.condition().always() ? "" : " (when " + w.condition().text() + ")";
        if (column.notNull() && !value.nullSafe() && !testedFirst(w, value)) {
            causes.add(Cause.heuristic(CauseCode.SIGNUP_VALUE_MISSING, Cause.Effect.FAILS_SOME_SIGNUPS,
                    chain + " writes " + value.written() + " into " + target + ", which is NOT NULL: "
                            + lacking(w, value) + ", so theirs fail with SQLSTATE 23502" + when,
                    value.origin() + " -> " + target + " NOT NULL, no coalesce in the expression",
                    "write coalesce(" + value.written() + ", '') (or another value) in " + function
                            + ", or ALTER TABLE " + Sql.quoteIdent(w.schema().get()) + "." + Sql.quoteIdent(w.table())
                            + " ALTER COLUMN " + Sql.quoteIdent(v.column()) + " DROP NOT NULL;"));
        }
        if (value.source().equals("raw_user_meta_data") && value.castTo().isPresent() && !value.guarded()
                && strict(ctx, value.castTo().get())) {
            causes.add(Cause.heuristic(CauseCode.METADATA_CAST_FAILS, Cause.Effect.FAILS_SOME_SIGNUPS,
                    chain + " casts " + value.origin() + " to " + value.castTo().get() + " for " + target
                            + ": a signup whose form sends '" + value.key().orElse("") + "' blank or as free text"
                            + " (an empty string is no " + value.castTo().get() + ") fails with SQLSTATE 22P02"
                            + (value.functions().contains("nullif") ? " (the NULLIF covers the empty string only)"
                            : "") + when,
                    value.written() + " in " + function,
                    "validate before the cast in " + function + " (CASE WHEN … ~ '<pattern>' THEN (…)::"
                            + value.castTo().get() + " END), or keep the text as text"));
        }
        boolean conflictsSkipped = v.skipsConflicts() || v.conflictTarget().contains(v.column());
        if (!column.uniqueIndexes().isEmpty() && !conflictsSkipped) {
            Optional<String> who = collides(value, column);
            if (who.isPresent()) {
                causes.add(Cause.heuristic(CauseCode.SIGNUP_VALUE_COLLIDES, Cause.Effect.FAILS_SOME_SIGNUPS,
                        chain + " writes " + value.written() + " into " + target + ", which is unique ("
                                + String.join(", ", column.uniqueIndexes()) + "): " + who.get()
                                + " collide, and the later signup fails with SQLSTATE 23505" + when,
                        value.origin() + " -> " + target + " UNIQUE",
                        "make the value unique in " + function + " (append part of NEW.id), drop the unique index,"
                                + " or, for a returning user, index only live rows (WHERE deleted_at IS NULL) and"
                                + " clear the old profile's value when it is deleted"));
            }
        }
    }

    /** Which signups the value collides for, or empty when two signups cannot hold the same one. */
    private static Optional<String> collides(SignupValue value, Column column) {
        if (value.perIdentity()) {
            return Optional.empty();
        }
        if (value.key().isPresent()) {
            return Optional.of("two signups that send the same '" + value.key().get() + "' in their metadata");
        }
        if (value.derived()) {
            return Optional.of(value.functions().contains("split_part")
                    ? "two addresses with the same local part (john@a.example and john@b.example)"
                    : "two " + value.source() + "s the expression " + String.join("/", value.functions())
                    + " makes equal");
        }
        // The whole e-mail or phone is the identity's own: it collides only with a row that outlived its identity.
        if (!column.uniqueWhole() || !column.softDeletes() && column.cascades()) {
            return Optional.empty();
        }
        return Optional.of("a user who comes back with the same " + value.source() + " and the profile kept from"
                + " their deleted account (" + (column.softDeletes() ? "soft-deleted rows keep theirs" : "no"
                + " foreign key deletes it with its identity") + ", runbook Scenario 4)");
    }

    /** Signups that lack the value. */
    private static String lacking(PathWrite w, SignupValue value) {
        boolean guestsSkipped = w.condition().text().contains("is_anonymous");
        String guests = guestsSkipped ? "" : " and guests (anonymous sign-ins)";
        return switch (value.source()) {
            case "email" -> "phone signups" + guests + " have no e-mail";
            case "phone" -> "e-mail and OAuth signups" + guests + " have no phone";
            default -> "signups that do not send '" + value.key().orElse("") + "' in their metadata have none ("
                    + (guestsSkipped ? "" : "guests send no metadata, ") + "an e-mail signup sends what the app's"
                    + " form passes, each OAuth provider its own keys)";
        };
    }

    /** The write's condition already requires the value (IF NEW.email IS NOT NULL). */
    private static boolean testedFirst(PathWrite w, SignupValue value) {
        return value.key().map(k -> w.condition().text().contains(k)).orElse(w.condition().text()
                .contains(value.source()));
    }

    private static boolean strict(CauseContext ctx, String type) throws SQLException {
        String name = type.substring(type.lastIndexOf('.') + 1);
        if (STRICT_TYPES.contains(name)) {
            return true;
        }
        try (PreparedStatement st = ctx.connection().prepareStatement(ENUM)) {
            String schema = type.contains(".") ? type.substring(0, type.lastIndexOf('.')) : null;
            st.setString(1, name);
            st.setString(2, schema);
            st.setString(3, schema);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** The written columns' facts, by {@code schema.table.column}, for every table at once. */
    private static Map<String, Column> columns(CauseContext ctx, List<Written> written) throws SQLException {
        Map<String, List<String>> tables = new java.util.LinkedHashMap<>();
        for (Written x : written) {
            tables.putIfAbsent(x.write().where(), List.of(x.write().schema().get(), x.write().table()));
        }
        Map<String, Column> columns = new HashMap<>();
        try (PreparedStatement st = ctx.connection().prepareStatement(COLUMNS)) {
            st.setString(1, ctx.schema().identityTable().quoted());
            st.setArray(2, ctx.connection().createArrayOf("text", tables.values().stream().map(t -> t.get(0))
                    .toArray()));
            st.setArray(3, ctx.connection().createArrayOf("text", tables.values().stream().map(t -> t.get(1))
                    .toArray()));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    List<String> unique = java.util.Arrays.stream((Object[]) rs.getArray(5).getArray())
                            .map(String::valueOf).toList();
                    columns.put(rs.getString(1) + "." + rs.getString(2) + "." + rs.getString(3),
                            new Column(rs.getBoolean(4), unique, rs.getBoolean(6), rs.getBoolean(7)));
                }
            }
        }
        return columns;
    }
}
