package io.ghostwatch.testing;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How the tests find a PostgreSQL on a developer's machine, and what they say when there is none. */
class TestServerTest {

    @Test
    void anExplicitServerWins() {
        TestServer s = TestServer.locate(Map.of("GHOSTWATCH_TEST_JDBC_URL", "jdbc:postgresql://db:6000/x",
                "GHOSTWATCH_TEST_JDBC_USER", "admin", "PGPORT", "1"));

        assertThat(s.url()).isEqualTo("jdbc:postgresql://db:6000/x");
        assertThat(s.user()).isEqualTo("admin");
        assertThat(s.source()).isEqualTo("GHOSTWATCH_TEST_JDBC_URL");
    }

    @Test
    void libpqsVariablesAreReadAndASocketDirectoryMeansLocalhost() {
        assertThat(TestServer.libpq(Map.of()).url()).isEqualTo("jdbc:postgresql://localhost:5432/postgres");
        assertThat(TestServer.libpq(Map.of()).user()).isEqualTo("postgres");
        TestServer s = TestServer.libpq(Map.of("PGHOST", "/var/run/postgresql", "PGPORT", "5433", "PGUSER", "dev",
                "PGPASSWORD", "pw"));
        assertThat(s.url()).isEqualTo("jdbc:postgresql://localhost:5433/postgres");
        assertThat(s.user()).isEqualTo("dev");
        assertThat(s.password()).isEqualTo("pw");
        assertThat(TestServer.libpq(Map.of("PGHOST", "10.1.2.3")).url()).startsWith("jdbc:postgresql://10.1.2.3:");
    }

    @Test
    void noServerAnywhereStartsPostgresFromMavenCentralsBuild() throws Exception {
        // Port 1 on loopback: nothing listens there (no Docker daemon runs on these machines either).
        TestServer s = TestServer.locate(Map.of("PGHOST", "127.0.0.1", "PGPORT", "1"));

        assertThat(s.source()).contains("from Maven Central").contains("no server at");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(s.url(), s.user(), s.password());
             java.sql.ResultSet rs = c.createStatement().executeQuery("SHOW server_version_num")) {
            rs.next();
            assertThat(rs.getInt(1) / 10000).as("the build pom.xml names").isEqualTo(Integer.parseInt(
                    MavenPostgres.version().split("\\.")[0]));
        }
    }

    @Test
    void noServerAnywhereAndNoneToStartIsOneLineNamingTheWays() {
        assertThatThrownBy(() -> TestServer.locate(Map.of("PGHOST", "127.0.0.1", "PGPORT", "1",
                "GHOSTWATCH_TEST_SERVER", "none")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("GHOSTWATCH_TEST_JDBC_URL").hasMessageContaining("Docker")
                .hasMessageContaining("PGHOST/PGPORT/PGUSER").hasMessageContaining("127.0.0.1:1")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
