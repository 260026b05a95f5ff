package io.ghostwatch.deploy;

import io.ghostwatch.testing.Ghostwatch;
import io.ghostwatch.testing.Psql;
import io.ghostwatch.testing.SupabaseFixture;
import io.ghostwatch.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** sql/least-privilege.sql, applied with psql, is enough for checks and history, and no more (no emails). */
class LeastPrivilegeIT {

    private static final String ROLE = "gw_least";

    @Test
    void theDocumentedGrantsAreEnoughForCheckAndHistoryAndHideEmails() throws Exception {
        try (TestDatabase db = TestDatabase.create("least_privilege")) {
            SupabaseFixture fixture = SupabaseFixture.install(db);
            fixture.users(5, Duration.ofDays(1));
            fixture.ghosts(1, Duration.ofMinutes(5));
            grantTheScriptsRights(db);

            Ghostwatch.Result r = Ghostwatch.against(db).env("QUARKUS_DATASOURCE_USERNAME", ROLE).run("check");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.stdout()).contains("Priority: P1");
            assertThat(db.queryLong("SELECT count(*) FROM ghostwatch.check_runs")).isEqualTo(1);
            // Without the xmin grant the check still runs; only the bulk-load signature is unknown, and says so.
            db.execute("REVOKE SELECT (xmin) ON auth.users FROM " + ROLE);
            Ghostwatch.Result narrower = Ghostwatch.against(db).env("QUARKUS_DATASOURCE_USERNAME", ROLE)
                    .run("check", "--output", "json");
            assertThat(narrower.exitCode()).as(narrower.toString()).isZero();
            assertThat(narrower.stdout()).contains("\"bulkLoads\" : null");
            try (Connection c = db.connectAs(ROLE, ""); Statement st = c.createStatement()) {
                assertThatThrownBy(() -> st.executeQuery("SELECT email FROM auth.users"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
            }
        }
    }

    @Test
    void theCanarysMembershipOnlyLetsTheMonitorSetRoleNotUseTheSignupRolesRights() throws Exception {
        try (TestDatabase db = TestDatabase.create("least_privilege_canary")) {
            SupabaseFixture fixture = SupabaseFixture.install(db);
            fixture.users(5, Duration.ofDays(1));
            db.execute("GRANT DELETE, UPDATE ON auth.users TO " + SupabaseFixture.SIGNUP_ROLE);
            grantTheScriptsRights(db);
            // Section 5 of the script, as a PostgreSQL 15 server takes it.
            db.execute("ALTER ROLE " + ROLE + " NOINHERIT", "GRANT " + SupabaseFixture.SIGNUP_ROLE + " TO " + ROLE);
            try {
                Ghostwatch.Result r = Ghostwatch.against(db).env("QUARKUS_DATASOURCE_USERNAME", ROLE)
                        .env("GHOSTWATCH_CANARY_ENABLED", "true").run("check", "--output", "json");
                assertThat(r.exitCode()).as(r.toString()).isZero();
                assertThat(r.json().at("/snapshot/canary/outcome").asText()).isEqualTo("profile_created");
                try (Connection c = db.connectAs(ROLE, ""); Statement st = c.createStatement()) {
                    assertThatThrownBy(() -> st.executeUpdate("DELETE FROM auth.users"))
                            .as("the signup role's DELETE is not the monitor's")
                            .hasMessageContaining("permission denied");
                    assertThatThrownBy(() -> st.executeQuery("SELECT encrypted_password FROM auth.users"))
                            .hasMessageContaining("permission denied");
                }
                assertThat(db.queryLong("SELECT count(*) FROM auth.users")).isEqualTo(5);
            } finally {
                db.execute("REVOKE " + SupabaseFixture.SIGNUP_ROLE + " FROM " + ROLE,
                        "ALTER ROLE " + ROLE + " INHERIT");
            }
        }
    }

    /** Supabase's auth.users: RLS on, no policy (auth migration 20240612123726); the grants alone show nothing. */
    @Test
    void aMonitorRowLevelSecurityBlindsStopsNamingTheTableAndTheFixAndNeverAPriority() throws Exception {
        try (TestDatabase db = TestDatabase.create("least_privilege_rls")) {
            SupabaseFixture fixture = SupabaseFixture.install(db);
            fixture.users(6, Duration.ofDays(1));
            fixture.ghosts(2, Duration.ofMinutes(5));
            grantTheScriptsRights(db);
            db.execute("ALTER TABLE auth.users ENABLE ROW LEVEL SECURITY");
            // The blindness is real: the granted role counts no identity at all.
            try (Connection c = db.connectAs(ROLE, ""); Statement st = c.createStatement();
                 java.sql.ResultSet rs = st.executeQuery("SELECT count(id) FROM auth.users")) {
                rs.next();
                assertThat(rs.getLong(1)).isZero();
            }
            assertThat(db.queryLong("SELECT count(*) FROM auth.users")).isEqualTo(8);

            Ghostwatch.Result blind = Ghostwatch.against(db).env("QUARKUS_DATASOURCE_USERNAME", ROLE).run("check");

            assertThat(blind.exitCode()).as(blind.toString()).isEqualTo(2);
            assertThat(blind.stderr()).contains("row-level security on auth.users hides its rows from the monitoring"
                    + " role " + ROLE, "CREATE POLICY ghostwatch_read ON \"auth\".\"users\" FOR SELECT TO \"" + ROLE
                    + "\" USING (true)");
            assertThat(blind.stdout()).doesNotContain("Priority");
            assertThat(blind.stderr()).doesNotContain("public.users"); // only the table that hides rows

            // A policy for another role, or a restrictive one, still leaves it blind; the one printed does not.
            db.execute("CREATE POLICY someone_else ON auth.users FOR SELECT TO " + SupabaseFixture.SIGNUP_ROLE
                    + " USING (true)");
            assertThat(Ghostwatch.against(db).env("QUARKUS_DATASOURCE_USERNAME", ROLE).run("check").exitCode())
                    .isEqualTo(2);
            db.execute("CREATE POLICY ghostwatch_read ON auth.users FOR SELECT TO " + ROLE + " USING (true)");
            Ghostwatch.Result seeing = Ghostwatch.against(db).env("QUARKUS_DATASOURCE_USERNAME", ROLE)
                    .run("check", "--output", "json");
            assertThat(seeing.exitCode()).as(seeing.toString()).isZero();
            assertThat(seeing.json().at("/snapshot/identities").asLong()).isEqualTo(8);
            assertThat(seeing.json().at("/snapshot/ghosts/total").asLong()).isEqualTo(2);
            db.execute("CREATE POLICY only_some ON auth.users AS RESTRICTIVE FOR SELECT TO PUBLIC"
                    + " USING (created_at > now() - interval '1 hour')");
            assertThat(Ghostwatch.against(db).env("QUARKUS_DATASOURCE_USERNAME", ROLE).run("check").exitCode())
                    .isEqualTo(2);
        }
    }

    /** The monitoring role, no CREATE on the database for anyone, and sql/least-privilege.sql applied by psql. */
    private static void grantTheScriptsRights(TestDatabase db) {
        db.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + ROLE + "') THEN"
                + " CREATE ROLE " + ROLE + " LOGIN; END IF; END $$",
                "REVOKE CREATE ON DATABASE " + db.name() + " FROM PUBLIC");
        Psql.run(db, db.user(), "-v", "role=" + ROLE, "-v", "database=" + db.name(), "-f",
                "sql/least-privilege.sql");
    }

    @org.junit.jupiter.api.AfterAll
    static void dropRole() {
        TestDatabase.dropRoles(ROLE);
    }
}
