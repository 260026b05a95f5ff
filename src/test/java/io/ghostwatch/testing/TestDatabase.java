package io.ghostwatch.testing;

import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A fresh database per test class on a real PostgreSQL, the one {@link TestServer} finds (an explicit
 * {@code GHOSTWATCH_TEST_JDBC_URL}, Testcontainers, or libpq's defaults). Dropped on {@link #close()}.
 */
public final class TestDatabase implements AutoCloseable {

    private final String adminUrl;
    private final String user;
    private final String password;
    private final String name;
    private final String jdbcUrl;

    private TestDatabase(String adminUrl, String user, String password, String name) {
        this.adminUrl = adminUrl;
        this.user = user;
        this.password = password;
        this.name = name;
        this.jdbcUrl = withDatabase(adminUrl, name);
    }

    public static TestDatabase create(String label) {
        TestServer server = TestServer.get();
        return createOn(server.url(), server.user(), server.password(), label);
    }

    /** A fresh database on the server of {@code url} (a superuser connection), e.g. a {@link PrivateCluster}. */
    public static TestDatabase createOn(String url, String user, String password, String label) {
        String name = ("gw_" + label + "_" + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        TestDatabase db = new TestDatabase(url, user, password, name);
        try (Connection admin = DriverManager.getConnection(url, user, password);
             Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + " on " + url + " as " + user
                    + ": " + e.getMessage().lines().findFirst().orElse("") + " (the tests need a role that may create"
                    + " databases and roles: set GHOSTWATCH_TEST_JDBC_URL, _USER and _PASSWORD to one)", e);
        }
        return db;
    }

    /**
     * Drops roles a test made (roles are server-wide). One still owning objects in another database, such as
     * another test run's on the same server, is left with a warning rather than failing this run.
     */
    public static void dropRoles(String... roles) {
        for (String role : roles) {
            try {
                executeOnServer("DROP ROLE IF EXISTS " + role);
            } catch (IllegalStateException e) {
                if (!(e.getCause() instanceof SQLException sql) || !"2BP01".equals(sql.getSQLState())) {
                    throw e;
                }
                System.err.println("left role " + role + ": " + sql.getMessage().lines().findFirst().orElse(""));
            }
        }
    }

    /** Statements for the whole server (roles are server-wide), run as the test superuser. */
    public static void executeOnServer(String... statements) {
        TestDatabase scratch = create("server");
        try {
            scratch.executeAsAdmin(statements);
        } finally {
            scratch.close();
        }
    }

    static String withDatabase(String url, String database) {
        int slash = url.indexOf('/', "jdbc:postgresql://".length());
        int query = url.indexOf('?');
        String base = slash < 0 ? url : url.substring(0, slash);
        String params = query < 0 ? "" : url.substring(query);
        return base + "/" + database + params;
    }

    public String name() {
        return name;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** The admin URL with another database, e.g. for a second database on the same server. */
    public String urlFor(String database) {
        return withDatabase(adminUrl, database);
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    public Connection connectAs(String role, String rolePassword) throws SQLException {
        return DriverManager.getConnection(jdbcUrl, role, rolePassword);
    }

    public void execute(String... statements) {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("fixture SQL failed: " + e.getMessage(), e);
        }
    }

    /** Statements that must run from another database, such as ALTER DATABASE … ALLOW_CONNECTIONS. */
    public void executeAsAdmin(String... statements) {
        try (Connection c = DriverManager.getConnection(adminUrl, user, password); Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("admin SQL failed: " + e.getMessage(), e);
        }
    }

    public void runResource(String resource) {
        try (InputStream in = TestDatabase.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no resource " + resource);
            }
            execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public long queryLong(String sql, Object... params) {
        try (Connection c = connect(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + e.getMessage(), e);
        }
    }

    public String queryString(String sql, Object... params) {
        try (Connection c = connect(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + e.getMessage(), e);
        }
    }

    /** Every row's first column, as text. */
    public java.util.List<String> queryStrings(String sql, Object... params) {
        try (Connection c = connect(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            java.util.List<String> rows = new java.util.ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try (Connection admin = DriverManager.getConnection(adminUrl, user, password);
             Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop test database " + name, e);
        }
    }
}
