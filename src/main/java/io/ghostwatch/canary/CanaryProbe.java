package io.ghostwatch.canary;

import io.ghostwatch.roles.LoginSettings;
import io.ghostwatch.snapshot.TargetSchema;
import io.ghostwatch.sql.Identifier;
import io.ghostwatch.sql.SearchPath;
import io.ghostwatch.sql.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import org.postgresql.util.PSQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One synthetic signup in a transaction that is always rolled back: insert an identity exactly as the auth
 * server does (as the signup role, with its login's persisted settings), look for its profile, roll back.
 * Nothing is ever committed: the connection never sends COMMIT, so a process killed mid-probe leaves the
 * server to abort the transaction.
 */
public final class CanaryProbe {

    /** Canary ids start with "ghst" in hex, so one seen in a log is recognisable. */
    static final String ID_PREFIX = "67687374-0000-4000-8000-";
    /** SQLSTATE read_only_sql_transaction. */
    private static final String READ_ONLY = "25006";

    private final TargetSchema schema;
    private final CanarySettings settings;
    private final Identifier emailColumn;
    private final boolean signupUpdates;

    public CanaryProbe(TargetSchema schema, CanarySettings settings, Identifier emailColumn) {
        this(schema, settings, emailColumn, false);
    }

    /**
     * @param signupUpdates an UPDATE trigger on the identity table fires in ordinary sessions: the canary then
     *                      also makes the update the auth server makes of a new user's row in the signup's own
     *                      transaction (its role, app metadata, updated_at), so that trigger runs as in a signup
     */
    public CanaryProbe(TargetSchema schema, CanarySettings settings, Identifier emailColumn, boolean signupUpdates) {
        this.schema = schema;
        this.settings = settings;
        this.emailColumn = emailColumn;
        this.signupUpdates = signupUpdates;
    }

    /** The columns the auth server's signup updates on the new row, where the identity table has them. */
    private static final List<String> SIGNUP_UPDATES = List.of("role", "raw_app_meta_data", "updated_at");

    public CanaryResult run(Connection c) throws SQLException {
        String id = ID_PREFIX + HexFormat.of().formatHex(longBytes(ThreadLocalRandom.current().nextLong()))
                .substring(0, 12);
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (PreparedStatement st = c.prepareStatement(
                    "SELECT " + SearchPath.PIN + ", pg_catalog.set_config('statement_timeout', ?::text, true),"
                            + " pg_catalog.set_config('lock_timeout', ?::text, true)")) {
                st.setString(1, settings.timeout().toMillis() + "ms");
                st.setString(2, settings.timeout().toMillis() + "ms");
                st.execute();
            }
            Optional<CanaryResult> cannot = signUpAsTheSignupRole(c);
            if (cannot.isPresent()) {
                return cannot.get();
            }
            String actor = currentUser(c);
            cannot = ownRights(c, actor);
            if (cannot.isPresent()) {
                return cannot.get();
            }
            try (Statement st = c.createStatement()) {
                st.execute("SAVEPOINT ghostwatch_canary");
            }
            String statement = "insert into";
            try {
                insert(c, id);
                if (signupUpdates) {
                    statement = "update (as a signup makes it) of";
                    update(c, id);
                }
            } catch (SQLException e) {
                try (Statement st = c.createStatement()) {
                    st.execute("ROLLBACK TO SAVEPOINT ghostwatch_canary");
                }
                CanaryResult failed = failure(e, actor, statement);
                return new CanaryResult(failed.outcome(), failed.detail(), identityRowsWritten(c));
            }
            long written = identityRowsWritten(c);
            try (Statement st = c.createStatement()) {
                // Back to the monitor, and back to a search_path that the signup role's schemas are not on: it
                // may have put functions and operators there (e.g. auth.= for text and varchar).
                st.execute("RESET ROLE");
                st.execute("SET LOCAL search_path = pg_catalog, pg_temp");
            }
            try (PreparedStatement st = c.prepareStatement("SELECT pg_catalog.count(*) FROM "
                    + schema.profileTable().quoted() + " WHERE " + schema.profileId().quoted()
                    + "::pg_catalog.text OPERATOR(pg_catalog.=) ?::text")) {
                st.setString(1, id);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    return rs.getLong(1) > 0
                            ? new CanaryResult(CanaryResult.Outcome.PROFILE_CREATED, "trigger fired for " + id
                                    + " as " + actor, written)
                            : new CanaryResult(CanaryResult.Outcome.NO_PROFILE, "identity " + id + " was inserted"
                                    + " as " + actor + " but got no profile", written);
                }
            }
        } finally {
            c.rollback();
            c.setAutoCommit(autoCommit);
        }
    }

    /**
     * Becomes the signup role the way its login would: its and the database's persisted settings, in
     * PostgreSQL's order, with SET LOCAL (SET ROLE alone applies none of them: Supabase's auth server gets
     * {@code search_path = auth} this way), then SET LOCAL ROLE. Says why not when the monitoring role cannot.
     */
    private Optional<CanaryResult> signUpAsTheSignupRole(Connection c) throws SQLException {
        if (settings.role().isEmpty()) {
            return Optional.empty();
        }
        Identifier role = settings.role().get();
        try (PreparedStatement st = c.prepareStatement("SELECT pg_catalog.to_regrole(?::text) IS NOT NULL,"
                + " CASE WHEN pg_catalog.to_regrole(?::text) IS NULL THEN false"
                + " ELSE pg_catalog.pg_has_role(current_user, pg_catalog.to_regrole(?::text), 'MEMBER') END,"
                + " current_user")) {
            st.setString(1, role.quoted());
            st.setString(2, role.quoted());
            st.setString(3, role.quoted());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return Optional.empty(); // not a Supabase layout: sign up as the monitoring role itself
                }
                if (!rs.getBoolean(2)) {
                    return Optional.of(notRun("the monitoring role " + rs.getString(3) + " is not a member of the"
                            + " signup role " + role + ", so it cannot sign up as " + role + " does: GRANT "
                            + role.quoted() + " TO " + Sql.quoteIdent(rs.getString(3))
                            + ", or turn the canary off"));
                }
            }
        }
        LoginSettings login = LoginSettings.read(c, role);
        for (Map.Entry<String, String> setting : login.values().entrySet()) {
            try (PreparedStatement st = c.prepareStatement("SELECT pg_catalog.set_config(?::text, ?::text, true)")) {
                st.setString(1, setting.getKey());
                st.setString(2, setting.getValue());
                st.execute();
            } catch (SQLException e) {
                c.rollback();
                return Optional.of(notRun("cannot apply " + role + "'s persisted setting " + setting.getKey() + " = "
                        + setting.getValue() + " (" + Sql.firstLine(e) + "), so the canary would not sign up as " + role
                        + " does"));
            }
        }
        if (login.get("default_transaction_read_only").filter(LoginSettings::isOn).isPresent()) {
            // A login gets it from its first transaction on; this transaction began before it was applied.
            try (Statement st = c.createStatement()) {
                st.execute("SET LOCAL transaction_read_only = on");
            }
        }
        try (Statement st = c.createStatement()) {
            st.execute("SET LOCAL ROLE " + role.quoted());
        }
        return Optional.empty();
    }

    /** The canary's own rights, established before the insert: nothing is read from an error's text. */
    private Optional<CanaryResult> ownRights(Connection c, String actor) throws SQLException {
        boolean signsUpAsTheSignupRole = settings.role().map(r -> r.name().equals(actor)).orElse(false);
        try (PreparedStatement st = c.prepareStatement(Sql.byName("SELECT"
                + " pg_catalog.has_schema_privilege(?::text, 'USAGE'),"
                + " pg_catalog.has_table_privilege(pg_catalog.to_regclass(?::text), 'INSERT')"
                + " OR pg_catalog.has_any_column_privilege(pg_catalog.to_regclass(?::text), 'INSERT')"))) {
            st.setString(1, schema.identityTable().schema().name());
            st.setString(2, schema.identityTable().quoted());
            st.setString(3, schema.identityTable().quoted());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1) || !rs.getBoolean(2)) {
                    String lacks = actor + " may not insert into " + schema.identityTable() + " (needs USAGE on"
                            + " schema " + schema.identityTable().schema() + " and INSERT on the table)";
                    if (signsUpAsTheSignupRole) {
                        // The canary is the signup role here: what it may not do, no signup may do.
                        return Optional.of(new CanaryResult(CanaryResult.Outcome.INSERT_FAILED, lacks
                                + ": every signup fails before any trigger runs; GRANT USAGE ON SCHEMA "
                                + schema.identityTable().schema().quoted() + " TO " + Sql.quoteIdent(actor)
                                + "; GRANT INSERT ON " + schema.identityTable().quoted() + " TO "
                                + Sql.quoteIdent(actor) + ";"));
                    }
                    return Optional.of(notRun(lacks + ": grant them, or turn the canary off"));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * An error the server says arose inside a function (its context names one: the sync function, or another
     * trigger's) is a failing signup; an error of the canary's own INSERT statement is not (a column the
     * canary did not fill, a timeout waiting for a lock) and says the canary could not tell.
     */
    private CanaryResult failure(SQLException e, String actor, String statement) {
        String where = e instanceof PSQLException p && p.getServerErrorMessage() != null
                ? p.getServerErrorMessage().getWhere() : null;
        List<String> frames = frames(where);
        if (!frames.isEmpty()) {
            return new CanaryResult(CanaryResult.Outcome.INSERT_FAILED, Sql.firstLine(e) + " (raised in "
                    + frames.get(0) + (frames.size() > 1 ? ", called from " + String.join(", called from ",
                    frames.subList(1, frames.size())) : "") + "; signing up as " + actor + ")");
        }
        if (READ_ONLY.equals(e.getSQLState())) {
            // The canary's transaction has the signup role's login settings: a read-only one fails every signup.
            return new CanaryResult(CanaryResult.Outcome.INSERT_FAILED, Sql.firstLine(e) + " (signing up as "
                    + actor + "): default_transaction_read_only is on for signups (Supabase's read-only mode when"
                    + " the disk is nearly full); see the cause below for where it is set and how to turn it off");
        }
        return notRun("the canary's own " + statement + " " + schema.identityTable() + " as " + actor + " was refused ("
                + Sql.firstLine(e) + "); fill the identity table's required columns with ghostwatch.canary.values or"
                + " raise ghostwatch.canary.timeout");
    }

    /**
     * The functions of an error's context, the one that raised first: PostgreSQL writes the context innermost
     * first, so a webhook's function under a trigger on the profile table comes before the sync function whose
     * INSERT fired it. Empty without a function (the canary's own statement).
     */
    static List<String> frames(String where) {
        if (where == null) {
            return List.of();
        }
        return where.lines().map(String::strip).filter(l -> l.matches("(?i)^(PL/pgSQL |SQL )?function .*"))
                .map(l -> l.replaceAll("\\s+at\\s+.*$", ""))
                .distinct().toList();
    }

    /** Identity rows this transaction wrote so far, rolled-back subtransactions included, as the server counts them. */
    private long identityRowsWritten(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(Sql.byName(
                "SELECT pg_catalog.pg_stat_get_xact_tuples_inserted(pg_catalog.to_regclass(?::text))"))) {
            st.setString(1, schema.identityTable().quoted());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static CanaryResult notRun(String detail) {
        return new CanaryResult(CanaryResult.Outcome.NOT_RUN, detail);
    }

    private static String currentUser(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT current_user")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private void insert(Connection c, String id) throws SQLException {
        List<String> columns = new ArrayList<>(List.of(schema.identityId().quoted(),
                schema.identityCreatedAt().quoted()));
        List<String> placeholders = new ArrayList<>(List.of("?::uuid", "pg_catalog.now()"));
        List<String> values = new ArrayList<>(List.of(id));
        boolean emailSet = false;
        for (Map.Entry<Identifier, String> e : settings.values().entrySet()) {
            columns.add(e.getKey().quoted());
            placeholders.add("?");
            values.add(e.getValue());
            emailSet |= e.getKey().equals(emailColumn);
        }
        if (!emailSet && identityHasColumn(c, emailColumn)) {
            columns.add(emailColumn.quoted());
            placeholders.add("?");
            values.add("canary-" + id + "@ghostwatch.invalid"); // a reserved TLD: never a real address
        }
        try (PreparedStatement st = c.prepareStatement("INSERT INTO " + schema.identityTable().quoted() + " ("
                + String.join(", ", columns) + ") VALUES (" + String.join(", ", placeholders) + ")")) {
            for (int i = 0; i < values.size(); i++) {
                st.setObject(i + 1, values.get(i), Types.OTHER);
            }
            st.executeUpdate();
        }
    }

    /**
     * The signup's update of its new row, setting what the auth server sets (each to its own value, updated_at
     * to now): UPDATE triggers without a column list, or listing those columns, fire as they do in a signup.
     */
    private void update(Connection c, String id) throws SQLException {
        List<String> sets = new ArrayList<>();
        for (String column : SIGNUP_UPDATES) {
            Identifier col = Identifier.of(column);
            if (identityHasColumn(c, col)) {
                sets.add(col.quoted() + " = " + (column.equals("updated_at") ? "pg_catalog.now()" : col.quoted()));
            }
        }
        if (sets.isEmpty()) {
            sets.add(schema.identityId().quoted() + " = " + schema.identityId().quoted());
        }
        try (PreparedStatement st = c.prepareStatement("UPDATE " + schema.identityTable().quoted() + " SET "
                + String.join(", ", sets) + " WHERE " + schema.identityId().quoted()
                + " OPERATOR(pg_catalog.=) ?::uuid")) {
            st.setString(1, id);
            st.executeUpdate();
        }
    }

    private boolean identityHasColumn(Connection c, Identifier column) throws SQLException {
        // Runs as the signup role, with its search_path: every name and operator from pg_catalog, typed.
        try (PreparedStatement st = c.prepareStatement(Sql.byName("SELECT EXISTS (SELECT 1"
                + " FROM pg_catalog.pg_attribute a WHERE a.attrelid OPERATOR(pg_catalog.=)"
                + " pg_catalog.to_regclass(?::text) AND a.attname OPERATOR(pg_catalog.=) ?::name"
                + " AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped)"))) {
            st.setString(1, schema.identityTable().quoted());
            st.setString(2, column.name());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static byte[] longBytes(long v) {
        return java.nio.ByteBuffer.allocate(8).putLong(v).array();
    }
}
