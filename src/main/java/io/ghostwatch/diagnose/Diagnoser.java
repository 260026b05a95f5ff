package io.ghostwatch.diagnose;

import io.ghostwatch.snapshot.TargetSchema;
import io.ghostwatch.snapshot.TriggerState;
import io.ghostwatch.sql.Identifier;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runbook Step 3C made concrete: reads the catalog (read-only) for the known ways a sync trigger that looks
 * enabled still leaves ghosts or breaks signups, and names each with its evidence and fix.
 */
public final class Diagnoser {

    private static final Pattern HANDLER = Pattern.compile("(?is)\\bEXCEPTION\\s+WHEN\\b(.*)");
    private static final Pattern RAISE = Pattern.compile("(?is)\\bRAISE\\b");

    private final TargetSchema schema;

    public Diagnoser(TargetSchema schema) {
        this.schema = schema;
    }

    public List<Cause> diagnose(Connection c, TriggerState trigger) throws SQLException {
        List<Cause> causes = new ArrayList<>();
        Optional<Long> function = triggerShape(c, causes);
        for (TriggerState.ReplicaOverride o : trigger.replicaOverrides()) {
            causes.add(new Cause("replication_role_replica", "session_replication_role = replica is persisted for "
                    + o.scope() + ": ordinary triggers do not fire there", o.scope(), o.undo()));
        }
        if (function.isPresent()) {
            String body = function(c, function.get(), causes);
            notNullColumns(c, body, causes);
            rowLevelSecurity(c, function.get(), causes);
        }
        uniqueConflicts(c, causes);
        return causes;
    }

    /** WHEN clause, statement-level, not on INSERT; returns the function the trigger executes. */
    private Optional<Long> triggerShape(Connection c, List<Cause> causes) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT t.tgtype, t.tgqual IS NOT NULL,"
                + " pg_get_triggerdef(t.oid), t.tgfoid::bigint FROM pg_trigger t WHERE t.tgname = ?"
                + " AND t.tgrelid = to_regclass(?) AND NOT t.tgisinternal")) {
            st.setString(1, schema.triggerName().name());
            st.setString(2, schema.identityTable().quoted());
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                int type = rs.getInt(1);
                String definition = rs.getString(3);
                if (rs.getBoolean(2)) {
                    causes.add(new Cause("trigger_when_clause", "the sync trigger has a WHEN condition: identities"
                            + " that do not match it get no profile", definition, "drop the WHEN clause (recreate the"
                            + " trigger from the sync migration)"));
                }
                if ((type & 1) == 0) {
                    causes.add(new Cause("trigger_statement_level", "the sync trigger is FOR EACH STATEMENT: it"
                            + " sees no NEW row", definition, "recreate it FOR EACH ROW"));
                }
                if ((type & 4) == 0) {
                    causes.add(new Cause("trigger_not_on_insert", "the sync trigger does not fire on INSERT",
                            definition, "recreate it AFTER INSERT"));
                }
                return Optional.of(rs.getLong(4));
            }
        }
    }

    /** Owner, SECURITY DEFINER, fixed search_path, EXECUTE for the signup role, error-swallowing handlers. */
    private String function(Connection c, long oid, List<Cause> causes) throws SQLException {
        Optional<String> role = schema.signupRole().filter(r -> roleExists(c, r));
        try (PreparedStatement st = c.prepareStatement("SELECT p.oid::regprocedure::text, l.lanname,"
                + " pg_get_userbyid(p.proowner), p.prosecdef, p.proconfig, p.prosrc,"
                + " CASE WHEN ?::text IS NULL THEN true ELSE has_function_privilege(?::text, p.oid, 'EXECUTE') END,"
                + " CASE WHEN ?::text IS NULL THEN true ELSE has_table_privilege(?::text, to_regclass(?), 'INSERT') END"
                + " FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang WHERE p.oid = ?::oid")) {
            String r = role.orElse(null);
            st.setString(1, r);
            st.setString(2, r);
            st.setString(3, r);
            st.setString(4, r);
            st.setString(5, schema.profileTable().quoted());
            st.setLong(6, oid);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                String name = rs.getString(1);
                String owner = rs.getString(3);
                boolean definer = rs.getBoolean(4);
                Array config = rs.getArray(5);
                String body = rs.getString(6) == null ? "" : rs.getString(6);
                boolean fixedPath = config != null && java.util.Arrays.stream((String[]) config.getArray())
                        .anyMatch(s -> s.toLowerCase(Locale.ROOT).startsWith("search_path="));
                if (!definer) {
                    causes.add(new Cause("function_not_security_definer", name + " runs with the privileges of"
                            + " whoever signs up" + role.map(x -> " (" + x + ")").orElse(""), "prosecdef = false,"
                            + " language " + rs.getString(2) + ", owner " + owner, "ALTER FUNCTION " + name
                            + " SECURITY DEFINER; (its owner " + owner + " must be able to insert profiles)"));
                    if (!rs.getBoolean(8)) {
                        causes.add(new Cause("signup_role_cannot_insert_profile", role.orElseThrow()
                                + " may not INSERT into " + schema.profileTable() + ", and the function runs as it",
                                "has_table_privilege(" + role.get() + ", " + schema.profileTable()
                                        + ", INSERT) = false", "make the function SECURITY DEFINER, or GRANT INSERT ON "
                                + schema.profileTable().quoted() + " TO " + Identifier.of(role.get()).quoted()));
                    }
                }
                if (!fixedPath) {
                    causes.add(new Cause("function_search_path_not_fixed", name + " resolves names through the"
                            + " caller's search_path", "proconfig has no search_path", "ALTER FUNCTION " + name
                            + " SET search_path = ''; and schema-qualify the tables in its body"));
                }
                if (!rs.getBoolean(7)) {
                    causes.add(new Cause("function_not_executable_by_signup_role", role.orElseThrow()
                            + " may not EXECUTE " + name + ": its inserts fail", "has_function_privilege = false",
                            "GRANT EXECUTE ON FUNCTION " + name + " TO " + Identifier.of(role.get()).quoted()));
                }
                Matcher handler = HANDLER.matcher(body);
                if (handler.find() && !RAISE.matcher(handler.group(1)).find()) {
                    causes.add(new Cause("function_swallows_errors", name + " catches its own errors without"
                            + " re-raising: a failed profile insert leaves a ghost and nothing is logged",
                            "EXCEPTION WHEN ..." + snippet(handler.group(1)), "re-raise in the handler (RAISE;) or"
                            + " remove it, so a failing profile insert fails the signup visibly"));
                }
                return body;
            }
        }
    }

    /** NOT NULL profile columns without a default that the function body never mentions. */
    private void notNullColumns(Connection c, String body, List<Cause> causes) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT attname FROM pg_attribute WHERE attrelid ="
                + " to_regclass(?) AND attnum > 0 AND NOT attisdropped AND attnotnull AND NOT atthasdef"
                + " AND attidentity = '' AND attgenerated = '' ORDER BY attnum")) {
            st.setString(1, schema.profileTable().quoted());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    String column = rs.getString(1);
                    if (!Pattern.compile("(?i)\\b" + Pattern.quote(column) + "\\b").matcher(body).find()) {
                        causes.add(new Cause("profile_not_null_column_unset", schema.profileTable() + "." + column
                                + " is NOT NULL without a default and the function never sets it: every profile"
                                + " insert fails", "attnotnull, no default, not in the function body",
                                "give it a default, or set it in the function"));
                    }
                }
            }
        }
    }

    /** Row-level security on the profile table that the inserting role does not bypass. */
    private void rowLevelSecurity(Connection c, long function, List<Cause> causes) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT t.relrowsecurity, t.relforcerowsecurity,"
                + " pg_get_userbyid(t.relowner), pg_get_userbyid(p.proowner), r.rolsuper OR r.rolbypassrls,"
                + " p.proowner = t.relowner, p.prosecdef"
                + " FROM pg_class t, pg_proc p JOIN pg_roles r ON r.oid = p.proowner"
                + " WHERE t.oid = to_regclass(?) AND p.oid = ?::oid")) {
            st.setString(1, schema.profileTable().quoted());
            st.setLong(2, function);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1) || !rs.getBoolean(7)) {
                    return;
                }
                boolean bypass = rs.getBoolean(5) || (rs.getBoolean(6) && !rs.getBoolean(2));
                if (!bypass) {
                    causes.add(new Cause("profile_rls_blocks_sync", "row-level security on " + schema.profileTable()
                            + " applies to the function's owner " + rs.getString(4) + ", who does not bypass it",
                            "relrowsecurity = true" + (rs.getBoolean(2) ? ", FORCE" : "") + ", table owner "
                                    + rs.getString(3), "add a policy allowing " + rs.getString(4) + " to insert, or"
                            + " make the table's owner own the function"));
                }
            }
        }
    }

    /** Unique profile columns (besides the key) that a ghost's identity would collide on. */
    private void uniqueConflicts(Connection c, List<Cause> causes) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT a.attname FROM pg_index i JOIN pg_attribute a ON"
                + " a.attrelid = i.indrelid AND a.attnum = i.indkey[0] WHERE i.indrelid = to_regclass(?)"
                + " AND i.indisunique AND NOT i.indisprimary AND i.indnatts = 1"
                + " AND EXISTS (SELECT 1 FROM pg_attribute b WHERE b.attrelid = to_regclass(?)"
                + " AND b.attname = a.attname AND NOT b.attisdropped)")) {
            st.setString(1, schema.profileTable().quoted());
            st.setString(2, schema.identityTable().quoted());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
        }
        for (String column : columns) {
            String col = Identifier.of(column).quoted();
            String sql = "SELECT count(*) FROM " + schema.identityTable().quoted() + " i WHERE NOT EXISTS (SELECT 1"
                    + " FROM " + schema.profileTable().quoted() + " p WHERE p." + schema.profileId().quoted() + " = i."
                    + schema.identityId().quoted() + ") AND EXISTS (SELECT 1 FROM " + schema.profileTable().quoted()
                    + " q WHERE q." + col + " = i." + col + ")";
            try (PreparedStatement st = c.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
                rs.next();
                long conflicts = rs.getLong(1);
                if (conflicts > 0) {
                    causes.add(new Cause("profile_unique_conflict", conflicts + " ghosts have a " + column
                            + " that another profile already holds: the trigger's insert (and a backfill) hit the"
                            + " unique constraint on " + schema.profileTable() + "(" + column + ")",
                            conflicts + " colliding identities", "resolve the duplicates (merge or change the"
                            + " value), then backfill; a backfill skips nothing but fails on them"));
                }
            }
        }
    }

    private static boolean roleExists(Connection c, String role) {
        try (PreparedStatement st = c.prepareStatement("SELECT to_regrole(?) IS NOT NULL")) {
            st.setString(1, Identifier.of(role).quoted());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        } catch (SQLException e) {
            return false;
        }
    }

    private static String snippet(String s) {
        String one = s.replaceAll("\\s+", " ").trim();
        return " " + (one.length() > 80 ? one.substring(0, 80) + "…" : one);
    }
}
