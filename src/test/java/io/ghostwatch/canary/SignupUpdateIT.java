package io.ghostwatch.canary;

import com.fasterxml.jackson.databind.JsonNode;
import io.ghostwatch.testing.AuthServerDatabaseTest;
import io.ghostwatch.testing.Ghostwatch;
import io.ghostwatch.testing.SupabaseFixture;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auth server updates a new user's row in the signup's own transaction, so an UPDATE trigger on the identity
 * table runs inside every signup: the canary makes that update too when the signup path has one, and blames it
 * when it fails, where an insert alone said the trigger fired and a profile was made.
 */
class SignupUpdateIT extends AuthServerDatabaseTest {

    private JsonNode checkWithCanary() {
        return Ghostwatch.against(db).env("GHOSTWATCH_CANARY_ENABLED", "true").run("check", "--output", "json")
                .json(0);
    }

    @Test
    void anUpdateTriggerWithoutRightsFailsEverySignupAndTheCanaryNamesIt() {
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
        assertThat(fixture.signupWithItsUpdate().error()).as("the incident is real: the signup's update fails")
                .contains("permission denied for table users");
        assertThat(fixture.signup(true).synced()).as("an insert alone still syncs: the old canary's view").isTrue();

        JsonNode report = checkWithCanary();

        assertThat(report.at("/snapshot/canary/outcome").asText()).as(report.toPrettyString())
                .isEqualTo("insert_failed");
        assertThat(report.at("/snapshot/canary/detail").asText()).contains("permission denied")
                .contains("sync_user_email");
        assertThat(report.get("priority").asText()).isEqualTo("P0");

        db.execute("GRANT UPDATE (email) ON public.users TO " + SupabaseFixture.SIGNUP_ROLE);
        assertThat(fixture.signupWithItsUpdate().synced()).isTrue();
        String before = fixture.checksum();

        JsonNode healthy = checkWithCanary();

        assertThat(healthy.at("/snapshot/canary/outcome").asText()).as(healthy.toPrettyString())
                .isEqualTo("profile_created");
        assertThat(fixture.checksum()).as("the canary's update is rolled back with its insert").isEqualTo(before);
    }
}
