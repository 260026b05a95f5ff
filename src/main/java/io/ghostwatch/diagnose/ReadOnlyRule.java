package io.ghostwatch.diagnose;

import io.ghostwatch.roles.LoginSettings;
import io.ghostwatch.sql.Sql;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Read-only mode: Supabase sets {@code default_transaction_read_only = on} for the database when its disk is
 * nearly full (supabase/supabase#9824, #32689), and every signup then fails with SQLSTATE 25006 before it writes
 * a row, so the attempt counters cannot see it. Read where a login as the signup role gets the setting from
 * (role in database, role, database, every role, the server), the winner last; and a standby, where no signup
 * can be written at all.
 */
final class ReadOnlyRule implements CauseRule {

    /** Lowest precedence first, as a login applies them; the server's own value before all of them. */
    private static final String QUERY = """
            SELECT 'server', NULL::text, NULL::text, s.setting
            FROM pg_catalog.pg_settings s
            WHERE s.name OPERATOR(pg_catalog.=) 'default_transaction_read_only'
              AND s.source OPERATOR(pg_catalog.=) ANY (ARRAY['configuration file', 'command line',
                                                              'environment variable'])
            UNION ALL
            SELECT * FROM (
                SELECT CASE WHEN s.setrole OPERATOR(pg_catalog.=) 0 AND s.setdatabase OPERATOR(pg_catalog.=) 0
                            THEN 'all_roles'
                            WHEN s.setrole OPERATOR(pg_catalog.=) 0 THEN 'database'
                            WHEN s.setdatabase OPERATOR(pg_catalog.=) 0 THEN 'role'
                            ELSE 'role_in_database' END,
                       r.rolname::text, d.datname::text,
                       pg_catalog.substr(c, pg_catalog.strpos(c, '=') OPERATOR(pg_catalog.+) 1)
                FROM pg_catalog.pg_db_role_setting s
                CROSS JOIN LATERAL pg_catalog.unnest(s.setconfig) WITH ORDINALITY AS x(c, ord)
                LEFT JOIN pg_catalog.pg_roles r ON r.oid OPERATOR(pg_catalog.=) s.setrole
                LEFT JOIN pg_catalog.pg_database d ON d.oid OPERATOR(pg_catalog.=) s.setdatabase
                WHERE pg_catalog.lower(pg_catalog.split_part(c, '=', 1))
                          OPERATOR(pg_catalog.=) 'default_transaction_read_only'
                  AND (s.setdatabase OPERATOR(pg_catalog.=) 0
                       OR d.datname OPERATOR(pg_catalog.=) pg_catalog.current_database())
                  AND (s.setrole OPERATOR(pg_catalog.=) 0 OR r.rolname OPERATOR(pg_catalog.=) ?::text)
                ORDER BY s.setrole OPERATOR(pg_catalog.<>) 0, s.setdatabase OPERATOR(pg_catalog.<>) 0, x.ord
            ) logins
            """;

    @Override
    public void find(CauseContext ctx, List<Cause> causes) throws SQLException {
        String scope = null;
        String role = null;
        String database = null;
        String value = null;
        try (PreparedStatement st = ctx.connection().prepareStatement(QUERY)) {
            st.setString(1, ctx.signup().map(LoginSettings::role).orElse(null));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) { // the last row wins, as the last setting applied does
                    scope = rs.getString(1);
                    role = rs.getString(2);
                    database = rs.getString(3);
                    value = rs.getString(4);
                }
            }
        }
        if (value != null && LoginSettings.isOn(value)) {
            String who = ctx.signup().map(LoginSettings::role).orElse("every login");
            causes.add(Cause.certain(CauseCode.READ_ONLY_MODE, Cause.Effect.FAILS_EVERY_SIGNUP, "default_transaction_read_only"
                            + " = " + value.strip() + " for " + where(scope, role, database) + ": every signup by "
                            + who + " fails with \"cannot execute INSERT in a read-only transaction\" (SQLSTATE"
                            + " 25006) before it writes a row. On Supabase this is read-only mode, set when the"
                            + " disk is nearly full", "pg_db_role_setting / server configuration: "
                            + where(scope, role, database) + " sets default_transaction_read_only = " + value.strip(),
                    "free or add disk space first (Supabase: upgrade the disk or delete data, see its read-only"
                            + " mode guide), then " + undo(scope, role, database)));
        }
        try (PreparedStatement st = ctx.connection().prepareStatement("SELECT pg_catalog.pg_is_in_recovery()");
             ResultSet rs = st.executeQuery()) {
            rs.next();
            if (rs.getBoolean(1)) {
                causes.add(Cause.certain(CauseCode.SERVER_IS_STANDBY, Cause.Effect.LEAVES_GHOSTS, "this server is a standby"
                                + " (in recovery): no signup can be written here, and signup attempts are counted"
                                + " only on the primary", "pg_is_in_recovery() = true",
                        "point ghostwatch at the primary (the auth server's own connection string); if the auth"
                                + " server writes here, promote it or fail back"));
            }
        }
    }

    private static String where(String scope, String role, String database) {
        return switch (scope) {
            case "server" -> "the whole server (postgresql.conf or the command line)";
            case "all_roles" -> "every role (ALTER ROLE ALL)";
            case "database" -> "database " + database;
            case "role" -> "role " + role;
            default -> "role " + role + " in database " + database;
        };
    }

    private static String undo(String scope, String role, String database) {
        String reset = " RESET default_transaction_read_only;";
        return switch (scope) {
            case "server" -> "ALTER SYSTEM SET default_transaction_read_only = off; SELECT pg_reload_conf();";
            case "all_roles" -> "ALTER ROLE ALL" + reset;
            case "database" -> "ALTER DATABASE " + Sql.quoteIdent(database) + reset;
            case "role" -> "ALTER ROLE " + Sql.quoteIdent(role) + reset;
            default -> "ALTER ROLE " + Sql.quoteIdent(role) + " IN DATABASE " + Sql.quoteIdent(database) + reset;
        } + " (sessions already open keep it until they reconnect: restart the auth service's pool)";
    }
}
