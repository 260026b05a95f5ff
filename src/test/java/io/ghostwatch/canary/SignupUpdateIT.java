package io.ghostwatch.canary;

import com.fasterxml.jackson.databind.JsonNode;
import io.ghostwatch.testing.AuthServerDatabaseTest;
import io.ghostwatch.testing.Ghostwatch;
import io.ghostwatch.testing.SupabaseFixture;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The auth server updates a new user's row in the signup's own transaction, so an UPDATE trigger on the identity
 * table runs inside every signup: the canary makes that update too when the signup path has one, and blames it
 * when it fails, where an insert alone said the trigger fired and a profile was made.
 */
class SignupUpdateIT extends AuthServerDatabaseTest {

    /** A signup as the auth server makes it: the insert, then its update of the new row, one transaction. */
    private void signupWithItsUpdate() throws SQLException {
        String id = UUID.randomUUID().toString();
        try (Connection c = db.connectAs(SupabaseFixture.SIGNUP_ROLE, "")) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO auth.users (id, email, created_at,"
                    + " updated_at) VALUES (?::uuid, ?, now(), now())");
                 PreparedStatement update = c.prepareStatement("UPDATE auth.users SET raw_app_meta_data ="
                         + " '{\"provider\":\"email\"}', updated_at = now() WHERE id = ?::uuid")) {
                insert.setString(1, id);
                insert.setString(2, "signup-" + id + "@example.com");
                insert.executeUpdate();
                update.setString(1, id);
                update.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private JsonNode checkWithCanary() {
        return Ghostwatch.against(db).env("GHOSTWATCH_CANARY_ENABLED", "true").run("check", "--output", "json")
                .json(0);
    }

    @Test
    void anUpdateTriggerWithoutRightsFailsEverySignupAndTheCanaryNamesIt() throws SQLException {
        // A second function copying the e-mail on change, SECURITY INVOKER: it runs as the auth server's role.
        db.execute("""
                CREATE FUNCTION public.sync_user_email() RETURNS trigger LANGUAGE plpgsql
                SET search_path = '' AS $$
                BEGIN
                  UPDATE public.users SET email = NEW.email WHERE id = NEW.id;
                  RETURN NEW;
                END $$""",
                "CREATE TRIGGER on_auth_user_updated AFTER UPDATE ON auth.users FOR EACH ROW"
                        + " EXECUTE FUNCTION public.sync_user_email()");
        SQLException failed = catchThrowableOfType(this::signupWithItsUpdate, SQLException.class);
        assertThat((Object) failed).as("the incident is real: the signup's update fails").isNotNull();
        assertThat(failed.getSQLState()).isEqualTo("42501");
        assertThat(fixture.signup(true).synced()).as("an insert alone still syncs: the old canary's view").isTrue();

        JsonNode report = checkWithCanary();

        assertThat(report.at("/snapshot/canary/outcome").asText()).as(report.toPrettyString())
                .isEqualTo("insert_failed");
        assertThat(report.at("/snapshot/canary/detail").asText()).contains("permission denied")
                .contains("sync_user_email");
        assertThat(report.get("priority").asText()).isEqualTo("P0");

        db.execute("GRANT UPDATE (email) ON public.users TO " + SupabaseFixture.SIGNUP_ROLE);
        signupWithItsUpdate();
        String before = fixture.checksum();

        JsonNode healthy = checkWithCanary();

        assertThat(healthy.at("/snapshot/canary/outcome").asText()).as(healthy.toPrettyString())
                .isEqualTo("profile_created");
        assertThat(fixture.checksum()).as("the canary's update is rolled back with its insert").isEqualTo(before);
    }
}
