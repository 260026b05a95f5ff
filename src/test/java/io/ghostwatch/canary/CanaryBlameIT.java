package io.ghostwatch.canary;

import com.fasterxml.jackson.databind.JsonNode;
import io.ghostwatch.testing.AuthServerDatabaseTest;
import io.ghostwatch.testing.Ghostwatch;
import io.ghostwatch.testing.SupabaseFixture.Signup;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whom the canary blames, and when it may page: the function that raised (not the sync function whose INSERT led
 * there), and a canary a function rejects by design while real signups commit. Both rebuilt from public reports
 * (a Database Webhook left behind when pg_net was removed; signups restricted to one e-mail domain) and proven
 * with real signups as supabase_auth_admin first.
 */
class CanaryBlameIT extends AuthServerDatabaseTest {

    private JsonNode check(String... env) {
        Ghostwatch g = Ghostwatch.against(db).env("GHOSTWATCH_CANARY_ENABLED", "true");
        for (int i = 0; i + 1 < env.length; i += 2) {
            g = g.env(env[i], env[i + 1]);
        }
        return g.run("check", "--output", "json").json(0);
    }

    @Test
    void aWebhookOnTheProfileTableWhoseSchemaIsGoneIsBlamedNotTheSyncFunction() {
        db.execute("CREATE SCHEMA supabase_functions",
                "CREATE FUNCTION supabase_functions.http_request() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                        + " PERFORM net.http_post(url := 'https://hooks.example/new-profile', body := '{}'::jsonb);"
                        + " RETURN NEW; END $$",
                "CREATE TRIGGER profile_created_webhook AFTER INSERT ON public.users FOR EACH ROW"
                        + " EXECUTE FUNCTION supabase_functions.http_request()");
        Signup s = fixture.signup(true);
        assertThat(s.failed()).as("the incident is real: every signup fails").isTrue();
        assertThat(s.error()).contains("schema \"net\" does not exist");

        JsonNode report = check();

        String detail = report.at("/snapshot/canary/detail").asText();
        assertThat(report.at("/snapshot/canary/outcome").asText()).as(report.toPrettyString())
                .isEqualTo("insert_failed");
        assertThat(detail).startsWith("schema \"net\" does not exist (raised in PL/pgSQL function"
                + " supabase_functions.http_request() line 1").contains("called from PL/pgSQL function"
                + " public.handle_new_user()");
        assertThat(report.get("priority").asText()).isEqualTo("P0");

        // The canary off, as hosted projects run it: the catalog names the same trigger and call.
        JsonNode off = Ghostwatch.against(db).run("check", "--output", "json").json(0);
        JsonNode cause = io.ghostwatch.testing.Reports.finding(off, "cause_written_table_trigger_call_missing");
        assertThat(cause).as(off.toPrettyString()).isNotNull();
        assertThat(cause.get("priority").asText()).isEqualTo("P0");
        assertThat(cause.get("summary").asText()).contains("trigger profile_created_webhook on public.users")
                .contains("supabase_functions.http_request()").contains("net.http_post")
                .contains("schema net does not exist");

        // pg_net back (its function stands in): the shape is healthy and nothing is named.
        db.execute("CREATE SCHEMA net", "CREATE FUNCTION net.http_post(url text, body jsonb) RETURNS bigint"
                + " LANGUAGE sql AS 'SELECT 1::bigint'");
        assertThat(fixture.signup(true).synced()).as("signups work again").isTrue();
        JsonNode healthy = Ghostwatch.against(db).run("check", "--output", "json").json(0);
        assertThat(healthy.toString()).doesNotContain("written_table_trigger_call_missing");
    }

    @Test
    void aCanaryAnAllowlistRejectsWhileRealSignupsCommitDoesNotPageAndItsValuesLetItThrough() {
        db.execute("CREATE FUNCTION public.enforce_domain() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                        + " IF NEW.email IS NULL OR NEW.email NOT LIKE '%@acme.com' THEN"
                        + "   RAISE EXCEPTION 'signups are restricted to acme.com';"
                        + " END IF; RETURN NEW; END $$",
                "CREATE TRIGGER enforce_domain BEFORE INSERT ON auth.users FOR EACH ROW"
                        + " EXECUTE FUNCTION public.enforce_domain()");
        assertThat(fixture.signup("outsider@example.com", true).failed()).as("by design").isTrue();
        long counted = fixture.identityInsertsCounted();
        check(); // counting starts
        for (int i = 0; i < 2; i++) {
            assertThat(fixture.signup("user" + i + "-" + System.nanoTime() + "@acme.com", true).synced())
                    .as("real signups commit").isTrue();
        }
        fixture.awaitIdentityInsertsCounted(counted + 2); // rejected before the heap, neither rejection counts

        JsonNode report = check();

        assertThat(report.at("/snapshot/canary/outcome").asText()).as(report.toPrettyString())
                .isEqualTo("insert_failed");
        assertThat(report.at("/snapshot/canary/detail").asText()).contains("restricted to acme.com")
                .contains("public.enforce_domain()");
        assertThat(report.get("priority").asText()).isEqualTo("P2");
        JsonNode f = report.at("/findings/0");
        assertThat(f.get("code").asText()).isEqualTo("canary_insert_failed");
        assertThat(f.get("summary").asText()).contains("2 real signup(s) committed");

        JsonNode allowed = check("GHOSTWATCH_CANARY_VALUES", "email=canary-ghostwatch@acme.com");
        assertThat(allowed.at("/snapshot/canary/outcome").asText()).as(allowed.toPrettyString())
                .isEqualTo("profile_created");
        assertThat(allowed.get("priority").asText()).isEqualTo("OK");
    }
}
