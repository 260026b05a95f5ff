package io.ghostwatch.testing;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

/**
 * The PostgreSQL server the tests create their databases on, found the way a developer has one: the server
 * {@code GHOSTWATCH_TEST_JDBC_URL} names (an explicit choice wins); else a Testcontainers PostgreSQL 15 when a
 * Docker daemon answers; else the libpq conventions ({@code PGHOST}, {@code PGPORT}, {@code PGUSER},
 * {@code PGPASSWORD}, then {@code localhost:5432} as {@code postgres}) when a server answers there. When none
 * works, the first test that needs one fails with one line naming the three ways.
 *
 * @param url      a JDBC URL of a database on it where the user may create databases
 * @param source   how it was found, for messages
 */
public record TestServer(String url, String user, String password, String source) {

    private static TestServer found;

    /** The server for this test run, found once. */
    public static synchronized TestServer get() {
        if (found == null) {
            Map<String, String> env = new java.util.HashMap<>(System.getenv());
            String asked = System.getProperty("ghostwatch.test.server", "");
            if (!asked.isBlank()) {
                env.put("GHOSTWATCH_TEST_SERVER", asked); // -Dghostwatch.test.server=maven, as Maven passes it
            }
            found = locate(env);
            SuiteLeftovers.record(found);
        }
        return found;
    }

    static TestServer locate(Map<String, String> env) {
        String asked = env.getOrDefault("GHOSTWATCH_TEST_SERVER", "");
        if (asked.equals("maven")) {
            return maven("asked for: ghostwatch.test.server=maven");
        }
        String explicit = env.get("GHOSTWATCH_TEST_JDBC_URL");
        if (explicit != null && !explicit.isBlank()) {
            return new TestServer(explicit, env.getOrDefault("GHOSTWATCH_TEST_JDBC_USER", "postgres"),
                    env.getOrDefault("GHOSTWATCH_TEST_JDBC_PASSWORD", ""), "GHOSTWATCH_TEST_JDBC_URL");
        }
        if (dockerMayRun(env) && DockerClientFactory.instance().isDockerAvailable()) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:15-alpine");
            container.start(); // stopped with the JVM by Testcontainers' own reaper
            return new TestServer(container.getJdbcUrl(), container.getUsername(), container.getPassword(),
                    "Testcontainers");
        }
        TestServer libpq = libpq(env);
        String problem = libpq.answers();
        if (problem == null) {
            return libpq;
        }
        if (!asked.equals("none")) {
            try {
                return maven("no server at " + libpq.url() + " (" + problem + ")");
            } catch (RuntimeException e) {
                problem = problem + "; nor could PostgreSQL be started from Maven Central's build: "
                        + e.getMessage();
            }
        }
        throw new IllegalStateException("no PostgreSQL for the tests: set GHOSTWATCH_TEST_JDBC_URL (and"
                + " GHOSTWATCH_TEST_JDBC_USER, GHOSTWATCH_TEST_JDBC_PASSWORD) to a server where they may create"
                + " databases, or start Docker for Testcontainers, or run PostgreSQL where libpq's PGHOST/PGPORT/"
                + "PGUSER/PGPASSWORD (default localhost:5432, user postgres) point, or let them start one"
                + " (GHOSTWATCH_TEST_SERVER=maven, not none); tried " + libpq.url()
                + " as " + libpq.user() + ": " + problem);
    }

    /**
     * A cluster of the run's own from Maven Central's build of PostgreSQL (pom.xml's {@code ghostwatch.test.postgres},
     * default 17): on a machine with no server, or asked for to test another major. Removed when the run ends.
     */
    private static TestServer maven(String why) {
        PrivateCluster cluster = PrivateCluster.start(MavenPostgres.bin(), "postgres");
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "stop-test-postgres"));
        return new TestServer(cluster.adminUrl(), "postgres", "", "PostgreSQL " + MavenPostgres.version()
                + " from Maven Central on port " + cluster.port() + ", " + why);
    }

    /** libpq's environment, defaulting to TCP on localhost (JDBC has no Unix sockets) and user postgres. */
    static TestServer libpq(Map<String, String> env) {
        String host = env.getOrDefault("PGHOST", "");
        if (host.isBlank() || host.startsWith("/")) {
            host = "localhost";
        }
        String port = env.getOrDefault("PGPORT", "").isBlank() ? "5432" : env.get("PGPORT");
        String user = env.getOrDefault("PGUSER", "").isBlank() ? "postgres" : env.get("PGUSER");
        return new TestServer("jdbc:postgresql://" + host + ":" + port + "/postgres", user,
                env.getOrDefault("PGPASSWORD", ""), "libpq defaults (PGHOST/PGPORT/PGUSER)");
    }

    /** A socket or DOCKER_HOST: without either Testcontainers would only print why it cannot start. */
    private static boolean dockerMayRun(Map<String, String> env) {
        return env.containsKey("DOCKER_HOST") || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"));
    }

    /** Null when a connection succeeds; else the driver's first line of why not. */
    private String answers() {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "3");
        try (Connection c = DriverManager.getConnection(url, props)) {
            return null;
        } catch (SQLException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            return message.lines().findFirst().orElse(message);
        }
    }
}
