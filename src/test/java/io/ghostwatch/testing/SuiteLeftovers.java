package io.ghostwatch.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a test run makes on the server it shares with its developer and outlives the tests: roles, which are
 * server-wide (a left {@code supabase_auth_admin} makes ghostwatch take it for the signup role of every other
 * database there). The roles are recorded when the server is first found and those made since are dropped at the
 * end of the run: by {@link SuiteLeavesNothingIT}, which runs last and checks it, and by a shutdown hook when only
 * some tests ran. Not for two runs sharing one server at once (their roles and advisory locks collide anyway).
 */
public final class SuiteLeftovers {

    private static TestServer server;
    private static Set<String> rolesBefore;

    private SuiteLeftovers() {
    }

    /** Called once, when the run's server is found: the roles already there are the developer's. */
    static synchronized void record(TestServer found) {
        if (server != null) {
            return;
        }
        try {
            Set<String> roles = roles(found);
            server = found;
            rolesBefore = roles;
            Runtime.getRuntime().addShutdownHook(new Thread(SuiteLeftovers::dropRolesMade, "drop-test-roles"));
        } catch (SQLException e) {
            // The server did not answer: the first test that needs it says so.
        }
    }

    /** Drops the roles made since the run began; returns why any could not be (objects still owned). */
    public static synchronized List<String> dropRolesMade() {
        List<String> problems = new ArrayList<>();
        if (server == null) {
            return problems;
        }
        try (Connection c = connect(server); Statement st = c.createStatement()) {
            for (String role : rolesMade()) {
                try {
                    st.execute("DROP ROLE IF EXISTS \"" + role.replace("\"", "\"\"") + "\"");
                } catch (SQLException e) {
                    problems.add(role + ": " + e.getMessage().lines().findFirst().orElse(""));
                }
            }
        } catch (SQLException e) {
            problems.add("cannot connect to drop the run's roles: " + e.getMessage());
        }
        return problems;
    }

    /** Roles on the server now that were not there when the run began. */
    public static synchronized Set<String> rolesMade() throws SQLException {
        if (server == null) {
            return Set.of();
        }
        Set<String> made = roles(server);
        made.removeAll(rolesBefore);
        return made;
    }

    /** The test databases ({@code gw_…}) on the server now. */
    public static synchronized List<String> databasesLeft() throws SQLException {
        List<String> left = new ArrayList<>();
        if (server == null) {
            return left;
        }
        try (Connection c = connect(server); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE 'gw\\_%'"
                     + " ORDER BY 1")) {
            while (rs.next()) {
                left.add(rs.getString(1));
            }
        }
        return left;
    }

    private static Set<String> roles(TestServer s) throws SQLException {
        Set<String> roles = new TreeSet<>();
        try (Connection c = connect(s); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT rolname FROM pg_roles")) {
            while (rs.next()) {
                roles.add(rs.getString(1));
            }
        }
        return roles;
    }

    private static Connection connect(TestServer s) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", s.user());
        props.setProperty("password", s.password());
        props.setProperty("connectTimeout", "5");
        return DriverManager.getConnection(s.url(), props);
    }
}
