package io.ghostwatch.diagnose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ghostwatch.testing.Ghostwatch;
import io.ghostwatch.testing.SupabaseDatabaseTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Runbook Step 3C through the packaged {@code diagnose} (and {@code check}): one fixture per known cause. */
class DiagnoseIT extends SupabaseDatabaseTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void healthy() throws IOException {
        db.execute("DROP INDEX IF EXISTS public.users_email_key", "ALTER TABLE public.users DISABLE ROW LEVEL SECURITY",
                "ALTER TABLE public.users DROP COLUMN IF EXISTS tenant_id");
        try (InputStream in = DiagnoseIT.class.getClassLoader().getResourceAsStream("demo/schema.sql")) {
            String schema = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int start = schema.indexOf("CREATE FUNCTION public.handle_new_user()");
            db.execute(schema.substring(start, schema.indexOf("$$;", start) + 3)
                    .replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION"),
                    "ALTER FUNCTION public.handle_new_user() OWNER TO postgres",
                    "GRANT EXECUTE ON FUNCTION public.handle_new_user() TO PUBLIC");
        }
        fixture.reset();
        fixture.users(5, Duration.ofDays(1));
        fixture.ghosts(1, Duration.ofMinutes(5));
    }

    private static List<String> causes() {
        Ghostwatch.Result r = Ghostwatch.against(db).env("GHOSTWATCH_HISTORY_ENABLED", "false")
                .run("diagnose", "--output", "json");
        assertThat(r.exitCode()).as(r.toString()).isIn(0, 1);
        try {
            List<String> codes = new ArrayList<>();
            JSON.readTree(r.stdout()).get("causes").forEach(c -> codes.add(c.get("code").asText()));
            assertThat(r.exitCode()).isEqualTo(codes.isEmpty() ? 0 : 1);
            return codes;
        } catch (IOException e) {
            throw new AssertionError(r.toString(), e);
        }
    }

    private static void function(String attributes, String body) {
        db.execute("CREATE OR REPLACE FUNCTION public.handle_new_user() RETURNS trigger LANGUAGE plpgsql "
                + attributes + " AS $$ " + body + " $$");
    }

    @Test
    void aHealthySupabaseSchemaHasNoFalseFinding() {
        assertThat(causes()).isEmpty();
    }

    @Test
    void aWhenClauseOnTheTrigger() {
        db.execute("DROP TRIGGER on_auth_user_created ON auth.users", "CREATE TRIGGER on_auth_user_created AFTER"
                + " INSERT ON auth.users FOR EACH ROW WHEN (NEW.email LIKE '%@corp.example') EXECUTE FUNCTION"
                + " public.handle_new_user()");

        assertThat(causes()).containsExactly("trigger_when_clause");
    }

    @Test
    void aFunctionThatSwallowsItsErrors() {
        function("SECURITY DEFINER SET search_path = ''", "BEGIN INSERT INTO public.users (id) VALUES (NEW.id);"
                + " RETURN NEW; EXCEPTION WHEN OTHERS THEN RETURN NEW; END");

        assertThat(causes()).containsExactly("function_swallows_errors");
    }

    @Test
    void notSecurityDefinerWithoutAFixedSearchPathAndASignupRoleThatCannotInsert() {
        function("", "BEGIN INSERT INTO public.users (id) VALUES (NEW.id); RETURN NEW; END");

        assertThat(causes()).containsExactly("function_not_security_definer", "signup_role_cannot_insert_profile",
                "function_search_path_not_fixed");
    }

    @Test
    void aDisabledTriggerIsTheFirstCauseWithTheSameFixAsCheck() {
        fixture.triggerState("DISABLE");

        assertThat(causes()).containsExactly("trigger_disabled");
        Ghostwatch.Result text = Ghostwatch.against(db).env("GHOSTWATCH_HISTORY_ENABLED", "false").run("diagnose");
        Ghostwatch.Result check = Ghostwatch.against(db).env("GHOSTWATCH_HISTORY_ENABLED", "false").run("check");
        String fix = "ALTER TABLE \"auth\".\"users\" ENABLE TRIGGER \"on_auth_user_created\";";
        assertThat(text.stdout()).contains("trigger_disabled").contains(fix).doesNotContain("No known cause");
        assertThat(check.stdout()).contains("trigger_disabled").contains(fix);
    }

    @Test
    void aNotNullProfileColumnTheFunctionNeverSets() {
        db.execute("ALTER TABLE public.users ADD COLUMN tenant_id uuid", "UPDATE public.users SET tenant_id ="
                + " gen_random_uuid()", "ALTER TABLE public.users ALTER COLUMN tenant_id SET NOT NULL");

        assertThat(causes()).containsExactly("profile_not_null_column_unset");
    }

    @Test
    void rowLevelSecurityTheFunctionsOwnerDoesNotBypass() {
        role("gw_fn_owner");
        db.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gw_fn_owner') THEN"
                        + " CREATE ROLE gw_fn_owner; END IF; END $$",
                "GRANT INSERT ON public.users TO gw_fn_owner", "GRANT USAGE ON SCHEMA public TO gw_fn_owner",
                "ALTER FUNCTION public.handle_new_user() OWNER TO gw_fn_owner",
                "ALTER TABLE public.users ENABLE ROW LEVEL SECURITY");

        assertThat(causes()).containsExactly("profile_rls_blocks_sync");
    }

    @Test
    void aStatementLevelTrigger() {
        db.execute("DROP TRIGGER on_auth_user_created ON auth.users", "CREATE TRIGGER on_auth_user_created AFTER"
                + " INSERT ON auth.users FOR EACH STATEMENT EXECUTE FUNCTION public.handle_new_user()");

        assertThat(causes()).containsExactly("trigger_statement_level");
    }

    @Test
    void aTriggerThatDoesNotFireOnInsert() {
        db.execute("DROP TRIGGER on_auth_user_created ON auth.users", "CREATE TRIGGER on_auth_user_created AFTER"
                + " UPDATE ON auth.users FOR EACH ROW EXECUTE FUNCTION public.handle_new_user()");

        assertThat(causes()).containsExactly("trigger_not_on_insert");
    }

    @Test
    void aPersistedReplicaRoleForTheSignupRole() {
        fixture.replicaForSignupRole();

        assertThat(causes()).containsExactly("replication_role_replica");
    }

    @Test
    void aUniqueEmailTheGhostCollidesOnIsReportedByCheckToo() {
        db.execute("CREATE UNIQUE INDEX users_email_key ON public.users (email)",
                "BEGIN; SET LOCAL session_replication_role = replica; INSERT INTO auth.users (id, email, created_at)"
                        + " SELECT gen_random_uuid(), email, now() FROM public.users LIMIT 1; COMMIT;");

        // The ghost's own collision, and the hazard of the same index for every returning user: public.users
        // soft-deletes (deleted_at), and its deleted rows keep their e-mail under the index.
        assertThat(causes()).containsExactly("signup_value_collides", "profile_unique_conflict");

        Ghostwatch.Result check = Ghostwatch.against(db).env("GHOSTWATCH_HISTORY_ENABLED", "false")
                .run("check", "--output", "json");
        assertThat(check.stdout()).contains("\"code\" : \"cause_profile_unique_conflict\"")
                .doesNotContain("@example.com");
    }
}
