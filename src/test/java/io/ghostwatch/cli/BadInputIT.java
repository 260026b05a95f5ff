package io.ghostwatch.cli;

import io.ghostwatch.testing.Ghostwatch;
import io.ghostwatch.testing.Ghostwatch.Result;
import io.ghostwatch.testing.SupabaseFixture;
import io.ghostwatch.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input gets exit 2, one clear line on stderr naming the problem and the fix, nothing on stdout, and
 * changes nothing in the database.
 */
class BadInputIT {

    /** A role that must authenticate with a password; .ci/run adds its scram-sha-256 line to pg_hba.conf. */
    private static final String PASSWORD_ROLE = "gw_password_user";

    private static TestDatabase db;
    private String checksumBefore;

    @BeforeAll
    static void createDatabase() {
        db = TestDatabase.create("bad_input");
        SupabaseFixture fixture = SupabaseFixture.install(db);
        fixture.users(10, Duration.ofDays(2));
        fixture.ghosts(2, Duration.ofMinutes(5));
        fixture.orphans(1, false);
        db.execute("CREATE TABLE x (id int)");
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
        TestDatabase.dropRoles(PASSWORD_ROLE, "gw_ungranted");
    }

    @BeforeEach
    void rememberContents() {
        checksumBefore = checksum();
    }

    @AfterEach
    void nothingChanged() {
        assertThat(checksum()).as("tables after a failed run").isEqualTo(checksumBefore);
    }

    private static String checksum() {
        return db.queryString("SELECT concat_ws('|',"
                + " (SELECT md5(coalesce(string_agg(u::text, ',' ORDER BY id), '')) FROM auth.users u),"
                + " (SELECT md5(coalesce(string_agg(p::text, ',' ORDER BY id), '')) FROM public.users p),"
                + " (SELECT count(*) FROM pg_tables WHERE tablename = 'x'),"
                + " (SELECT string_agg(tgenabled::text, ',') FROM pg_trigger WHERE tgname = 'on_auth_user_created'))");
    }

    private static void assertCannotCheck(Result r, String... expected) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stdout()).as("stdout of a failed run").isEmpty();
        String line = r.stderr().strip();
        assertThat(line).as("one line on stderr").doesNotContain("\n").startsWith("ghostwatch: ");
        assertThat(line).contains(expected);
        assertThat(r.stderr()).doesNotContain("\tat ");
    }

    @Test
    void unreachableDatabase() {
        Result r = Ghostwatch.against(db)
                .env("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:1/" + db.name())
                .run("check");

        assertCannotCheck(r, "cannot reach PostgreSQL at 127.0.0.1:1", "QUARKUS_DATASOURCE_JDBC_URL");
    }

    @Test
    void aUrlThatIsNotPostgresSaysTheFormItNeeds() {
        Result r = Ghostwatch.against(db).env("QUARKUS_DATASOURCE_JDBC_URL", "mysql://127.0.0.1:3306/app")
                .run("check");

        assertCannotCheck(r, "not a PostgreSQL URL", "jdbc:postgresql://host:5432/database",
                "postgres://user:password@host:5432/database");
    }

    @Test
    void theLibpqUrlAProviderShowsIsAccepted() {
        // The user and password come from the URL, as pasted from a provider's dashboard.
        Result r = Ghostwatch.unconfigured().env("GHOSTWATCH_HISTORY_ENABLED", "false")
                .env("QUARKUS_DATASOURCE_JDBC_URL", db.jdbcUrl().replace("jdbc:postgresql://",
                        "postgres://" + db.user() + ":" + db.password() + "@"))
                .run("check");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("ghostwatch check: target default");
    }

    /**
     * The URL's user is the one that connects: on a server where the OS user's role exists too (root here), a
     * user the URL names that the server lacks must be refused, not replaced by the OS user.
     */
    @Test
    void theUserInALibpqUrlIsTheOneThatConnects() {
        Result r = Ghostwatch.unconfigured().env("GHOSTWATCH_HISTORY_ENABLED", "false")
                .env("QUARKUS_DATASOURCE_JDBC_URL", db.jdbcUrl().replace("jdbc:postgresql://",
                        "postgres://gw_no_such_user:secret@"))
                .run("check");

        assertCannotCheck(r, "role \"gw_no_such_user\" does not exist");
    }

    @Test
    void unknownDatabase() {
        Result r = Ghostwatch.against(db)
                .env("QUARKUS_DATASOURCE_JDBC_URL", db.urlFor("gw_no_such_database"))
                .run("check");

        assertCannotCheck(r, "database 'gw_no_such_database' does not exist");
    }

    @Test
    void wrongPassword() {
        long rules = db.queryLong("SELECT count(*) FROM pg_hba_file_rules WHERE ? = ANY(user_name)"
                + " AND auth_method IN ('scram-sha-256', 'md5')", PASSWORD_ROLE);
        Assumptions.assumeTrue(rules > 0, "pg_hba.conf has no password rule for " + PASSWORD_ROLE
                + "; .ci/run adds it");
        db.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + PASSWORD_ROLE
                + "') THEN CREATE ROLE " + PASSWORD_ROLE + " LOGIN PASSWORD 'right'; END IF; END $$");

        Result r = Ghostwatch.against(db)
                .env("QUARKUS_DATASOURCE_USERNAME", PASSWORD_ROLE)
                .env("QUARKUS_DATASOURCE_PASSWORD", "wrong")
                .run("check");

        assertCannotCheck(r, "authentication failed for user '" + PASSWORD_ROLE + "'",
                "QUARKUS_DATASOURCE_PASSWORD");
        assertThat(r.stderr()).doesNotContain("wrong");
    }

    @Test
    void monitoringRoleWithoutGrantsIsToldWhichOneIsMissing() {
        db.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gw_ungranted') THEN"
                + " CREATE ROLE gw_ungranted LOGIN; END IF; END $$");
        Ghostwatch asUngranted = Ghostwatch.against(db).env("QUARKUS_DATASOURCE_USERNAME", "gw_ungranted");

        assertCannotCheck(asUngranted.run("check"), "permission denied for schema auth", "USAGE");

        db.execute("GRANT USAGE ON SCHEMA auth TO gw_ungranted", "GRANT SELECT ON auth.users TO gw_ungranted");
        try {
            assertCannotCheck(asUngranted.run("check"), "cannot read public.users(id)",
                    "GRANT SELECT ON \"public\".\"users\" TO <role>");
        } finally {
            db.execute("REVOKE SELECT ON auth.users FROM gw_ungranted", "REVOKE USAGE ON SCHEMA auth FROM gw_ungranted");
        }
    }

    @Test
    void missingProfileTable() {
        Result r = Ghostwatch.against(db).env("GHOSTWATCH_PROFILE_TABLE", "public.profiles").run("check");

        assertCannotCheck(r, "table public.profiles does not exist", "ghostwatch.profile.table");
    }

    @Test
    void injectedIdentifierIsRefusedBeforeAnySql() {
        Result r = Ghostwatch.against(db).env("GHOSTWATCH_PROFILE_TABLE", "users; drop table x").run("check");

        assertCannotCheck(r, "configuration error", "ghostwatch.profile.table");
    }

    @Test
    void injectedColumnIsRefused() {
        Result r = Ghostwatch.against(db)
                .env("GHOSTWATCH_IDENTITY_ID_COLUMN", "id) FROM auth.users; DROP TABLE x; --")
                .run("check");

        assertCannotCheck(r, "ghostwatch.identity.id-column", "not a plain SQL identifier");
    }

    @Test
    void unreadableDurationAndOutOfRangeNumbers() {
        assertCannotCheck(Ghostwatch.against(db).env("GHOSTWATCH_POLICY_OLD_AFTER", "a day").run("check"),
                "ghostwatch.policy.old-after");
        assertCannotCheck(Ghostwatch.against(db).env("GHOSTWATCH_POLICY_P0_COUNT", "-3").run("check"),
                "ghostwatch.policy.p0-count: must be 0 or more");
    }

    @Test
    void noDatabaseConfigured() {
        assertCannotCheck(Ghostwatch.unconfigured().run("check"), "no database configured",
                "QUARKUS_DATASOURCE_JDBC_URL");
    }

    @Test
    void databaseThatGoesAwayMidRun() throws Exception {
        // Hold the identity table so the check waits inside its transaction, then end its session.
        try (Connection ddl = db.connect(); Statement st = ddl.createStatement()) {
            ddl.setAutoCommit(false);
            st.execute("LOCK TABLE auth.users IN ACCESS EXCLUSIVE MODE");
            CompletableFuture<Result> run = CompletableFuture.supplyAsync(() -> Ghostwatch.against(db)
                    .env("GHOSTWATCH_LOCK_TIMEOUT", "60s").run("check"));
            long waiting = 0;
            for (int i = 0; i < 300 && waiting == 0; i++) {
                Thread.sleep(100);
                waiting = db.queryLong("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'ghostwatch'"
                        + " AND wait_event_type = 'Lock' AND datname = ?", db.name());
            }
            assertThat(waiting).as("ghostwatch waiting on the lock").isEqualTo(1);
            db.queryLong("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE application_name = 'ghostwatch' AND datname = ?", db.name());
            ddl.rollback();

            Result r = run.get(60, TimeUnit.SECONDS);
            assertCannotCheck(r, "ended the session");
        }
    }

    @Test
    void badCommandLineIsAUsageErrorWithExitTwo() {
        Result r = Ghostwatch.against(db).run("check", "--fail-on", "P9");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).contains("--fail-on");
    }
}
