package io.ghostwatch.path;

import io.ghostwatch.sql.QualifiedName;
import io.ghostwatch.sql.Sql;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The signup path as the database defines it, read from the catalog (read-only, no table is touched): every
 * trigger on the identity table, the function each executes and the functions those call, every table they write
 * with the column that receives the identity's id, and the condition each write sits under. What could not be
 * read with certainty is said in {@link #notes()}.
 */
public record SignupPath(List<PathTrigger> triggers, List<PathWrite> writes, List<String> notes,
                         Set<String> identityColumns, List<DeleteSkip> deleteSkips) {

    /** How deep calls are followed from a trigger's function. */
    private static final int MAX_DEPTH = 3;
    private static final Pattern WHEN = Pattern.compile(" WHEN \\((.*)\\) EXECUTE (?:FUNCTION|PROCEDURE) ");

    public SignupPath {
        triggers = List.copyOf(triggers);
        writes = List.copyOf(writes);
        notes = List.copyOf(notes);
        identityColumns = Set.copyOf(identityColumns);
        deleteSkips = List.copyOf(deleteSkips);
    }

    public SignupPath(List<PathTrigger> triggers, List<PathWrite> writes, List<String> notes,
                      Set<String> identityColumns) {
        this(triggers, writes, notes, identityColumns, List.of());
    }

    /** {@code DO INSTEAD} rules on DELETE of the identity table, in force. */
    private static final String INSTEAD_RULES = Sql.byName("""
            SELECT r.rulename::text, pg_catalog.pg_get_ruledef(r.oid)
            FROM pg_catalog.pg_rewrite r
            WHERE r.ev_class OPERATOR(pg_catalog.=) pg_catalog.to_regclass(?::text)
              AND r.ev_type OPERATOR(pg_catalog.=) '4' AND r.is_instead
              AND r.ev_enabled OPERATOR(pg_catalog.<>) 'D'
            ORDER BY r.rulename
            """);
    private static final Pattern RULE_WHERE = Pattern.compile("\\sWHERE\\s+(.*?)\\s+DO\\s+INSTEAD\\s+(.*?);?\\s*$",
            Pattern.DOTALL);
    private static final Pattern RULE_ACTION = Pattern.compile("\\sDO\\s+INSTEAD\\s+(.*?);?\\s*$", Pattern.DOTALL);

    private static final String COLUMNS = Sql.byName("""
            SELECT a.attname::text FROM pg_catalog.pg_attribute a
            WHERE a.attrelid = pg_catalog.to_regclass(?::text) AND a.attnum > 0 AND NOT a.attisdropped
            """);

    private static final String TRIGGERS = Sql.byName("""
            SELECT t.tgname::text, t.tgtype::int, t.tgenabled::text, pg_catalog.pg_get_triggerdef(t.oid),
                   p.oid::bigint, l.lanname::text
            FROM pg_catalog.pg_trigger t
            JOIN pg_catalog.pg_proc p ON p.oid OPERATOR(pg_catalog.=) t.tgfoid
            JOIN pg_catalog.pg_language l ON l.oid OPERATOR(pg_catalog.=) p.prolang
            WHERE t.tgrelid OPERATOR(pg_catalog.=) pg_catalog.to_regclass(?::text) AND NOT t.tgisinternal
            ORDER BY t.tgname
            """);

    private static final String FUNCTION = """
            SELECT pg_catalog.quote_ident(n.nspname) OPERATOR(pg_catalog.||) '.'
                       OPERATOR(pg_catalog.||) pg_catalog.quote_ident(p.proname) OPERATOR(pg_catalog.||) '('
                       OPERATOR(pg_catalog.||) pg_catalog.oidvectortypes(p.proargtypes) OPERATOR(pg_catalog.||) ')',
                   l.lanname::text, p.proconfig, coalesce(p.prosrc, ''), p.proargnames, p.prosecdef,
                   pg_catalog.pg_get_userbyid(p.proowner)::text
            FROM pg_catalog.pg_proc p
            JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) p.pronamespace
            JOIN pg_catalog.pg_language l ON l.oid OPERATOR(pg_catalog.=) p.prolang
            WHERE p.oid OPERATOR(pg_catalog.=) ?::oid
            """;

    /** Functions of that name taking that many arguments (defaults allowed for), in the given schemas. */
    private static final String CALLEES = """
            SELECT p.oid::bigint, n.nspname::text
            FROM pg_catalog.pg_proc p
            JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) p.pronamespace
            WHERE p.proname OPERATOR(pg_catalog.=) ?::name
              AND n.nspname OPERATOR(pg_catalog.=) ANY (?::name[])
              AND p.pronargs OPERATOR(pg_catalog.>=) ?::int
              AND p.pronargs OPERATOR(pg_catalog.-) p.pronargdefaults OPERATOR(pg_catalog.<=) ?::int
            """;

    private static final String RELATION = """
            SELECT n.nspname::text
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
            WHERE c.relname OPERATOR(pg_catalog.=) ?::name AND n.nspname OPERATOR(pg_catalog.=) ANY (?::name[])
            """;

    /** The function a trigger or call runs, as the catalog has it. */
    private record Function(long oid, String name, String language, List<String> config, String body,
                            List<String> argNames, boolean securityDefiner, String owner) {

        /** The schemas an unqualified name resolves through: its fixed search_path, else the default. */
        List<String> schemas() {
            for (String setting : config) {
                if (setting.toLowerCase(Locale.ROOT).startsWith("search_path=")) {
                    List<String> schemas = new ArrayList<>();
                    for (String part : setting.substring("search_path=".length()).split(",")) {
                        String p = part.trim();
                        if (p.isEmpty() || p.equals("\"\"") || p.equals("''") || p.contains("$user")) {
                            continue;
                        }
                        schemas.add(PathText.identifier(p));
                    }
                    return schemas;
                }
            }
            return List.of("public");
        }
    }

    /** Reads the path of the identity table {@code identityTable}, whose id column is {@code identityId}. */
    public static SignupPath read(Connection c, QualifiedName identityTable, String identityId) throws SQLException {
        Set<String> columns = new HashSet<>();
        try (PreparedStatement st = c.prepareStatement(COLUMNS)) {
            st.setString(1, identityTable.quoted());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
        }
        List<PathTrigger> triggers = new ArrayList<>();
        List<PathWrite> writes = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        record Found(String name, int type, String enabled, String definition, long function, String language) {
        }
        List<Found> found = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(TRIGGERS)) {
            st.setString(1, identityTable.quoted());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    found.add(new Found(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                            rs.getLong(5), rs.getString(6)));
                }
            }
        }
        List<DeleteSkip> skips = new ArrayList<>();
        for (Found f : found) {
            Function fn = function(c, f.function()).orElseThrow();
            Matcher w = WHEN.matcher(f.definition());
            Optional<String> when = w.find() ? Optional.of(w.group(1)) : Optional.empty();
            Set<String> events = PathTrigger.events(f.type());
            PathTrigger trigger = new PathTrigger(f.name(), PathTrigger.timing(f.type()), events,
                    (f.type() & 1) != 0, f.enabled(), when, fn.name(), fn.language());
            triggers.add(trigger);
            boolean update = events.contains("UPDATE");
            Condition fires = when.map(text -> PredicateReader.translate(PathText.tokens(text), columns, update))
                    .orElse(Condition.ALWAYS);
            follow(c, trigger, fn, fires, List.of(fn.name()), Optional.empty(), Optional.empty(), columns,
                    identityId, update, new LinkedHashSet<>(List.of(fn.oid())), writes, notes);
            if (trigger.skipsDeletesIfNull()) {
                skips.addAll(deleteSkips(trigger, fn, columns, identityId, notes));
            }
        }
        skips.addAll(insteadRules(c, identityTable));
        return new SignupPath(triggers, writes, notes, columns, skips);
    }

    /**
     * What a BEFORE DELETE row trigger's function returns for a delete: NULL, or NEW (NULL in a delete; the
     * shared-function slip), skips the delete silently; OLD lets it through. Read with TG_OP known to be DELETE.
     */
    private static List<DeleteSkip> deleteSkips(PathTrigger trigger, Function fn, Set<String> columns,
                                                String identityId, List<String> notes) {
        if (!fn.language().equals("plpgsql")) {
            notes.add(fn.name() + " (" + fn.language() + ", BEFORE DELETE trigger " + trigger.name() + ") was not"
                    + " read: whether it lets deletes of identities through is not known");
            return List.of();
        }
        Optional<String> delete = Optional.of("DELETE");
        Condition fires = trigger.when().map(text -> PredicateReader.translate(PathText.tokens(text), columns, false,
                delete)).orElse(Condition.ALWAYS);
        PathText.Reading r;
        try {
            r = PathText.read(fn.body(), columns, identityId, false, Optional.empty(), delete);
        } catch (RuntimeException e) {
            notes.add(fn.name() + " (BEFORE DELETE trigger " + trigger.name() + ") could not be read: whether it"
                    + " lets deletes of identities through is not known (" + e + ")");
            return List.of();
        }
        List<DeleteSkip> skips = new ArrayList<>();
        for (PathText.Return ret : r.returns()) {
            Condition when = fires.and(ret.guard());
            if (when.never()) {
                continue;
            }
            switch (ret.value()) {
                case "OLD", "" -> {
                }
                case "NULL" -> skips.add(new DeleteSkip("trigger " + trigger.name(), fn.name() + " returns NULL",
                        when));
                case "NEW" -> skips.add(new DeleteSkip("trigger " + trigger.name(), fn.name() + " returns NEW,"
                        + " which is NULL in a DELETE trigger", when));
                default -> notes.add(fn.name() + " (BEFORE DELETE trigger " + trigger.name() + ") returns "
                        + ret.value() + " for a delete: whether that lets it through is not known");
            }
        }
        return skips;
    }

    /** {@code DO INSTEAD} rules on DELETE: the delete becomes their action (or nothing). */
    private static List<DeleteSkip> insteadRules(Connection c, QualifiedName identityTable) throws SQLException {
        List<DeleteSkip> skips = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(INSTEAD_RULES)) {
            st.setString(1, identityTable.quoted());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    // Literals blanked: a rule's text may hold an address, never printed.
                    String definition = io.ghostwatch.sql.SqlText.strip(rs.getString(2)).replaceAll("\\s+", " ")
                            .trim();
                    Matcher where = RULE_WHERE.matcher(definition);
                    Matcher action = RULE_ACTION.matcher(definition);
                    String does = where.find() ? where.group(2) : action.find() ? action.group(1) : "";
                    Condition when = where.find(0) ? Condition.untranslatable(where.group(1),
                            "a rule's WHERE is not read") : Condition.ALWAYS;
                    skips.add(new DeleteSkip("rule " + rs.getString(1), "DO INSTEAD " + does, when));
                }
            }
        }
        return skips;
    }

    /** Reads one function's writes under {@code guard} and follows its calls. */
    private static void follow(Connection c, PathTrigger trigger, Function fn, Condition guard, List<String> via,
                               Optional<String> idParameter, Optional<String> callerRunsAs, Set<String> columns,
                               String identityId, boolean update, Set<Long> seen, List<PathWrite> writes,
                               List<String> notes) throws SQLException {
        // A SECURITY DEFINER function runs as its owner; any other as whoever called it (at the top: the signup).
        Optional<String> runsAs = fn.securityDefiner() ? Optional.of(fn.owner()) : callerRunsAs;
        if (!fn.language().equals("plpgsql")) {
            notes.add(fn.name() + " (" + fn.language() + ", reached from trigger " + trigger.name()
                    + ") was not read: only PL/pgSQL text is");
            return;
        }
        PathText.Reading r;
        try {
            r = PathText.read(fn.body(), columns, identityId, update, idParameter);
        } catch (RuntimeException e) {
            // A reading of text, not a parse: text it cannot follow is said, and never stops the check.
            notes.add(fn.name() + " (reached from trigger " + trigger.name() + ") could not be read: " + e);
            return;
        }
        if (PathText.executesDynamicSql(fn.body())) {
            notes.add(fn.name() + " (reached from trigger " + trigger.name() + ") runs dynamic SQL (EXECUTE …),"
                    + " which is not read: what it writes, and why it may fail, are unknown to the causes");
        }
        for (PathText.Write w : r.writes()) {
            String written = w.schema().map(s -> s + ".").orElse("") + w.table();
            List<String> schemas = w.schema().map(List::of).orElseGet(fn::schemas);
            Optional<String> schema = relationSchema(c, w.table(), schemas);
            if (schema.isEmpty()) {
                notes.add(fn.name() + " writes " + written + ", which no schema of " + schemas + " has");
            }
            writes.add(new PathWrite(trigger.name(), List.copyOf(trigger.events()), via, w.verb(), written, schema,
                    w.table(), w.keyColumn(), guard.and(w.guard()), runsAs, w.copies()));
        }
        for (PathText.Call call : r.calls()) {
            List<String> schemas = call.schema().map(List::of).orElseGet(fn::schemas);
            for (long oid : callees(c, call, schemas)) {
                if (seen.contains(oid)) {
                    continue;
                }
                if (via.size() >= MAX_DEPTH) {
                    notes.add(String.join(" -> ", via) + " calls " + call.name() + ", deeper than " + MAX_DEPTH
                            + " functions: not followed");
                    continue;
                }
                Function callee = function(c, oid).orElseThrow();
                Optional<String> id = call.idArgument().map(a -> a < callee.argNames().size()
                        && !callee.argNames().get(a).isEmpty() ? callee.argNames().get(a) : "$" + (a + 1));
                Set<Long> next = new LinkedHashSet<>(seen);
                next.add(oid);
                List<String> chain = new ArrayList<>(via);
                chain.add(callee.name());
                follow(c, trigger, callee, guard.and(call.guard()), chain, id, runsAs, columns, identityId, update,
                        next, writes, notes);
            }
        }
    }

    private static Optional<Function> function(Connection c, long oid) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(FUNCTION)) {
            st.setLong(1, oid);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Function(oid, rs.getString(1), rs.getString(2), strings(rs.getArray(3)),
                        rs.getString(4), strings(rs.getArray(5)), rs.getBoolean(6), rs.getString(7)));
            }
        }
    }

    /** Callees of a call, skipping PostgreSQL's own functions (pg_catalog is searched first, as a call does). */
    private static List<Long> callees(Connection c, PathText.Call call, List<String> schemas) throws SQLException {
        List<String> searched = new ArrayList<>(schemas);
        searched.remove("pg_catalog");
        List<Long> oids = new ArrayList<>();
        if (builtIn(c, call)) {
            return oids;
        }
        try (PreparedStatement st = c.prepareStatement(CALLEES)) {
            st.setString(1, call.name());
            st.setArray(2, c.createArrayOf("text", searched.toArray()));
            st.setInt(3, call.arguments());
            st.setInt(4, call.arguments());
            try (ResultSet rs = st.executeQuery()) {
                List<String[]> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(new String[] {Long.toString(rs.getLong(1)), rs.getString(2)});
                }
                // The first schema of the path that has it, as PostgreSQL resolves the call.
                for (String schema : searched) {
                    for (String[] row : rows) {
                        if (row[1].equals(schema)) {
                            oids.add(Long.parseLong(row[0]));
                        }
                    }
                    if (!oids.isEmpty()) {
                        break;
                    }
                }
            }
        }
        return oids;
    }

    private static boolean builtIn(Connection c, PathText.Call call) throws SQLException {
        if (call.schema().isPresent()) {
            return call.schema().get().equals("pg_catalog");
        }
        try (PreparedStatement st = c.prepareStatement(CALLEES)) {
            st.setString(1, call.name());
            st.setArray(2, c.createArrayOf("text", new Object[] {"pg_catalog"}));
            st.setInt(3, call.arguments());
            st.setInt(4, call.arguments());
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static Optional<String> relationSchema(Connection c, String table, List<String> schemas)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement(RELATION)) {
            st.setString(1, table);
            st.setArray(2, c.createArrayOf("text", schemas.toArray()));
            Set<String> have = new HashSet<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    have.add(rs.getString(1));
                }
            }
            return schemas.stream().filter(have::contains).findFirst();
        }
    }

    private static List<String> strings(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        return Arrays.stream((Object[]) array.getArray()).map(o -> o == null ? "" : o.toString()).toList();
    }

    /** A row-level UPDATE trigger fires in ordinary sessions: it runs inside every signup's transaction. */
    public boolean updatesOnSignup() {
        return triggers.stream().anyMatch(t -> t.rowLevel() && t.events().contains("UPDATE") && t.fires());
    }

    /** The writes into one table, in path order. */
    public List<PathWrite> writesTo(String schema, String table) {
        return writes.stream().filter(w -> w.writes(schema, table)).toList();
    }
}
