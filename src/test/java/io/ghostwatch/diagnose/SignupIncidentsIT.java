package io.ghostwatch.diagnose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ghostwatch.testing.AuthServerDatabaseTest;
import io.ghostwatch.testing.Ghostwatch;
import io.ghostwatch.testing.SupabaseFixture.Signup;
import io.ghostwatch.testing.SupabaseFixture;
import io.ghostwatch.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Incidents rebuilt from public Supabase reports, each on a fresh database laid out as Supabase lays it out:
 * {@code supabase_auth_admin} logs in, owns {@code auth.users} and has {@code search_path = auth} persisted.
 * Every test first proves its incident with a real signup on a connection that logs in as that role, then
 * asserts what {@code check} says with the canary on and off, and what {@code diagnose} names; the tables
 * are unchanged by either.
 */
class SignupIncidentsIT extends AuthServerDatabaseTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** An application role that owns the sync function where an incident needs one (roles are server-wide). */
    private static final String OWNER = "gw_app_owner_" + UUID.randomUUID().toString().substring(0, 8);
    private static final String STANDARD_INSERT = "INSERT INTO public.users (id, email, created_at, updated_at)"
            + " VALUES (NEW.id, NEW.email, COALESCE(NEW.created_at, now()), now()); RETURN NEW;";

    @BeforeEach
    void setUp() {
        db.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + OWNER + "') THEN"
                + " CREATE ROLE " + OWNER + " NOLOGIN; END IF; END $$");
        fixture.users(5, Duration.ofDays(2));
    }

    @AfterAll
    static void dropOwner() {
        TestDatabase.dropRoles(OWNER);
    }

    private void function(String attributes, String body) {
        db.execute("CREATE OR REPLACE FUNCTION public.handle_new_user() RETURNS trigger LANGUAGE plpgsql "
                + attributes + " AS $$ BEGIN " + body + " END $$");
    }

    private JsonNode check(boolean canary) {
        Ghostwatch.Result r = Ghostwatch.against(db).env("GHOSTWATCH_HISTORY_ENABLED", "false")
                .env("GHOSTWATCH_CANARY_ENABLED", Boolean.toString(canary)).run("check", "--output", "json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout() + r.stderr()).doesNotContain("@example.com");
        return parse(r);
    }

    private JsonNode diagnose() {
        Ghostwatch.Result r = Ghostwatch.against(db).env("GHOSTWATCH_HISTORY_ENABLED", "false")
                .run("diagnose", "--output", "json");
        assertThat(r.exitCode()).as(r.toString()).isIn(0, 1);
        return parse(r).get("causes");
    }

    private static JsonNode parse(Ghostwatch.Result r) {
        try {
            return JSON.readTree(r.stdout());
        } catch (IOException e) {
            throw new AssertionError(r.toString(), e);
        }
    }

    private static List<String> codes(JsonNode findings) {
        List<String> codes = new ArrayList<>();
        findings.forEach(f -> codes.add(f.get("code").asText()));
        return codes;
    }

    private static JsonNode cause(JsonNode causes, String code) {
        for (JsonNode c : causes) {
            if (c.get("code").asText().equals(code)) {
                return c;
            }
        }
        throw new AssertionError("no cause " + code + " in " + causes);
    }

    /** How an incident's failing signups show in the identity table's statistics. */
    private enum Counted {
        /** The identity row is written, then rolled back with the signup: the counters see every attempt. */
        ROLLED_BACK_ROWS,
        /** The signup fails before writing its row: only the catalog can tell. */
        NO_ROW,
        /** The database refuses every write, ghostwatch's history too: no count to compare with. */
        NOTHING_WRITABLE
    }

    /**
     * The verdicts of one incident that fails every signup: a check runs first, as a CronJob's would, then
     * three real signups fail; P0 from the database's own counts (the cause named), with the canary on (it saw
     * the insert fail, with the database's error) and off (the catalog cause alone), nothing written by any.
     */
    private JsonNode assertEverySignupFails(String error, String cause) {
        return assertEverySignupFails(error, cause, Counted.ROLLED_BACK_ROWS, error, "handle_new_user");
    }

    /** The same, where the canary's detail says {@code canarySays} (the error and where it arose). */
    private JsonNode assertEverySignupFails(String error, String cause, Counted counted, String... canarySays) {
        Ghostwatch cron = Ghostwatch.against(db).env("GHOSTWATCH_TARGET", "cron");
        if (counted != Counted.NOTHING_WRITABLE) {
            assertThat(cron.run("check").exitCode()).as("the check before the signups").isZero();
        }
        long inserts = fixture.identityInsertsCounted();
        Signup proof = fixture.signup(false);
        assertThat(proof.failed()).as("the incident is real: a signup as supabase_auth_admin fails").isTrue();
        assertThat(proof.error()).contains(error);
        for (int i = 0; i < 2; i++) {
            assertThat(fixture.signup(true).failed()).as("and so does every signup after it").isTrue();
        }
        String before = fixture.checksum();

        if (counted != Counted.NOTHING_WRITABLE) {
            if (counted == Counted.ROLLED_BACK_ROWS) {
                fixture.awaitIdentityInsertsCounted(inserts + 3);
            }
            Ghostwatch.Result r = cron.run("check", "--output", "json");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            JsonNode next = parse(r);
            assertThat(next.get("priority").asText()).isEqualTo("P0");
            if (counted == Counted.ROLLED_BACK_ROWS) {
                assertThat(next.get("findings").get(0).get("code").asText()).isEqualTo("signups_failing");
                assertThat(next.get("findings").get(0).get("summary").asText()).contains("attempts rolled back")
                        .contains("causes found: " + cause);
                // Rows, not signups: a function that inserts into the identity table itself writes two each.
                assertThat(next.at("/snapshot/signups/rolledBack").asLong()).isGreaterThanOrEqualTo(3);
                assertThat(next.at("/snapshot/signups/committed").asLong()).isZero();
            } else {
                assertThat(next.at("/snapshot/signups/attempted").asLong()).as("no row, nothing to count").isZero();
                assertThat(next.get("findings").get(0).get("code").asText()).isEqualTo("cause_" + cause);
            }
        }

        JsonNode on = check(true);
        assertThat(on.get("priority").asText()).isEqualTo("P0");
        assertThat(on.at("/snapshot/canary/outcome").asText()).isEqualTo("insert_failed");
        assertThat(on.at("/snapshot/canary/detail").asText()).contains(canarySays);
        assertThat(codes(on.get("findings"))).contains("canary_insert_failed", "cause_" + cause);

        JsonNode off = check(false);
        assertThat(off.get("priority").asText()).as("P0 from the catalog alone").isEqualTo("P0");
        assertThat(off.get("findings").get(0).get("code").asText()).isEqualTo("cause_" + cause);
        assertThat(off.at("/snapshot/ghosts/total").asLong()).isZero();

        JsonNode causes = diagnose();
        JsonNode found = cause(causes, cause);
        assertThat(found.get("effect").asText()).isEqualTo("fails_every_signup");
        assertThat(fixture.checksum()).isEqualTo(before);
        return found;
    }

    @Test
    void revokingExecuteFromEveryoneLeavesSignupsSyncing() {
        // Supabase's linter advises revoking EXECUTE on SECURITY DEFINER functions; triggers do not need it.
        db.execute("REVOKE EXECUTE ON FUNCTION public.handle_new_user() FROM PUBLIC",
                "REVOKE EXECUTE ON FUNCTION public.handle_new_user() FROM " + SupabaseFixture.SIGNUP_ROLE);
        assertThat(fixture.signup(false).synced()).as("a real signup still syncs").isTrue();
        String before = fixture.checksum();

        JsonNode report = check(true);

        assertThat(report.get("priority").asText()).isEqualTo("OK");
        assertThat(report.at("/snapshot/canary/outcome").asText()).isEqualTo("profile_created");
        assertThat(report.get("findings")).isEmpty();
        assertThat(diagnose()).isEmpty();
        assertThat(fixture.checksum()).isEqualTo(before);
    }

    @Test
    void aFunctionRunningAsASignupRoleWithoutInsertOnTheProfileTable() {
        function("SET search_path = ''", STANDARD_INSERT);

        JsonNode cause = assertEverySignupFails("permission denied for table users",
                "signup_role_cannot_insert_profile");

        assertThat(cause.get("summary").asText()).contains("supabase_auth_admin").contains("INSERT on public.users");
        assertThat(cause.get("fix").asText()).contains("GRANT INSERT ON \"public\".\"users\" TO \"supabase_auth_admin\"");
    }

    @Test
    void aSignupRoleWithoutUsageOnTheProfileSchema() {
        // supabase/supabase#17186, #21825: INSERT is granted, USAGE on the schema is not.
        function("SET search_path = ''", STANDARD_INSERT);
        db.execute("GRANT INSERT ON public.users TO " + SupabaseFixture.SIGNUP_ROLE,
                "REVOKE USAGE ON SCHEMA public FROM PUBLIC");

        JsonNode cause = assertEverySignupFails("permission denied for schema public",
                "signup_role_cannot_insert_profile");

        assertThat(cause.get("summary").asText()).contains("USAGE on schema public")
                .doesNotContain("INSERT on public.users");
        assertThat(cause.get("fix").asText()).contains("GRANT USAGE ON SCHEMA \"public\" TO \"supabase_auth_admin\"");
    }

    @Test
    void aSecurityDefinerFunctionWhoseOwnerMayNotInsert() {
        db.execute("ALTER FUNCTION public.handle_new_user() OWNER TO " + OWNER);

        JsonNode cause = assertEverySignupFails("permission denied for table users",
                "function_owner_cannot_insert_profile");

        assertThat(cause.get("summary").asText()).contains(OWNER).contains("INSERT on public.users");
    }

    @Test
    void rowLevelSecurityWithoutAnInsertPolicyForTheFunctionsOwner() {
        db.execute("GRANT INSERT, SELECT ON public.users TO " + OWNER,
                "ALTER FUNCTION public.handle_new_user() OWNER TO " + OWNER,
                "ALTER TABLE public.users ENABLE ROW LEVEL SECURITY",
                "CREATE POLICY \"Profiles are readable\" ON public.users FOR SELECT USING (true)");

        JsonNode cause = assertEverySignupFails("row-level security", "profile_rls_blocks_sync");

        assertThat(cause.get("summary").asText()).contains(OWNER).contains("public.users");
    }

    @Test
    void anUnqualifiedTableResolvedThroughTheAuthServersSearchPath() {
        // No fixed search_path: the login's search_path = auth turns "users" into auth.users.
        function("SECURITY DEFINER", "INSERT INTO users (id, email) VALUES (NEW.id, NEW.email); RETURN NEW;");

        JsonNode cause = assertEverySignupFails("duplicate key", "function_writes_identity_table");

        assertThat(cause.get("summary").asText()).contains("auth.users");
        assertThat(cause.get("evidence").asText()).contains("search_path = auth")
                .contains("supabase_auth_admin's login search_path");
        assertThat(cause.get("heuristic").asBoolean()).isTrue();
    }

    @Test
    void aFunctionWritingToARenamedTable() {
        // supabase/supabase#7834: the profiles table was renamed, the function was not.
        function("SECURITY DEFINER SET search_path = ''", "INSERT INTO public.profiles (id) VALUES (NEW.id);"
                + " RETURN NEW;");

        JsonNode cause = assertEverySignupFails("relation \"public.profiles\" does not exist",
                "function_target_missing");

        assertThat(cause.get("summary").asText()).contains("public.profiles");
    }

    @Test
    void aNotNullProfileColumnTheFunctionNeverSets() {
        db.execute("ALTER TABLE public.users ADD COLUMN username text NOT NULL DEFAULT 'x'",
                "ALTER TABLE public.users ALTER COLUMN username DROP DEFAULT");

        JsonNode cause = assertEverySignupFails("null value in column \"username\"", "profile_not_null_column_unset");

        assertThat(cause.get("summary").asText()).contains("public.users.username");
    }

    @Test
    void aHandlerThatOnlyRaisesAWarningSwallowsTheError() {
        db.execute("ALTER TABLE public.users ADD COLUMN username text NOT NULL DEFAULT 'x'",
                "ALTER TABLE public.users ALTER COLUMN username DROP DEFAULT");
        function("SECURITY DEFINER SET search_path = ''", "INSERT INTO public.users (id, email, username)"
                + " VALUES (NEW.id, NEW.email, NEW.raw_user_meta_data->>'username'); RETURN NEW;"
                + " EXCEPTION WHEN OTHERS THEN RAISE WARNING 'profile not created: %', SQLERRM; RETURN NEW;");
        Signup proof = fixture.signup(true);
        assertThat(proof.ghost()).as("the incident is real: a signup without a username leaves a ghost").isTrue();
        String before = fixture.checksum();

        JsonNode on = check(true);
        assertThat(on.get("priority").asText()).isEqualTo("P0");
        assertThat(on.at("/snapshot/canary/outcome").asText()).isEqualTo("no_profile");
        assertThat(codes(on.get("findings"))).contains("canary_no_profile", "cause_function_swallows_errors");

        JsonNode off = check(false);
        assertThat(off.get("priority").asText()).as("one recent ghost").isEqualTo("P1");
        assertThat(codes(off.get("findings"))).contains("ghost_users_recent", "cause_function_swallows_errors");

        JsonNode cause = cause(diagnose(), "function_swallows_errors");
        assertThat(cause.get("summary").asText()).contains("WHEN OTHERS").contains("RAISE WARNING");
        assertThat(cause.get("effect").asText()).isEqualTo("leaves_ghosts");
        assertThat(fixture.checksum()).isEqualTo(before);
    }

    @Test
    void aUniqueCollisionTheFunctionSkipsLeavesOneGhostAndStaysP1() {
        // A hard-deleted account's profile keeps its email; the same person signs up again.
        db.execute("CREATE UNIQUE INDEX users_email_key ON public.users (email)",
                "INSERT INTO public.users (id, email) VALUES (gen_random_uuid(), 'returning@example.com')");
        function("SECURITY DEFINER SET search_path = ''", "INSERT INTO public.users (id, email) VALUES (NEW.id,"
                + " NEW.email) ON CONFLICT DO NOTHING; RETURN NEW;");
        assertThat(fixture.signup("returning@example.com", true).ghost()).as("the collision leaves a ghost").isTrue();
        String before = fixture.checksum();

        for (boolean canary : new boolean[] {true, false}) {
            JsonNode report = check(canary);
            assertThat(report.get("priority").asText()).as("a single recent ghost").isEqualTo("P1");
            assertThat(codes(report.get("findings"))).contains("cause_profile_unique_conflict");
        }
        assertThat(cause(diagnose(), "profile_unique_conflict").get("summary").asText())
                .contains("1 ghost has a value of email").contains("public.users(email)");
        assertThat(fixture.checksum()).isEqualTo(before);
    }

    @Test
    void aRestoreWithTriggersOffLeavesGhostsWhileEverythingLooksHealthy() {
        fixture.restoredGhosts(8, Duration.ofHours(2));
        assertThat(fixture.signup(false).synced()).as("the trigger itself is healthy").isTrue();
        assertThat(db.queryLong("SELECT count(*) FROM auth.users a WHERE NOT EXISTS (SELECT 1 FROM public.users p"
                + " WHERE p.id = a.id)")).isEqualTo(8);
        String before = fixture.checksum();

        for (boolean canary : new boolean[] {true, false}) {
            JsonNode report = check(canary);
            assertThat(report.get("priority").asText()).isEqualTo("P0");
            assertThat(codes(report.get("findings"))).contains("cause_ghosts_from_bulk_load");
            assertThat(report.at("/snapshot/ghosts/window/bulkLoads/transactions").asLong()).isEqualTo(1);
            assertThat(report.at("/snapshot/ghosts/window/bulkLoads/ghosts").asLong()).isEqualTo(8);
        }
        assertThat(cause(diagnose(), "ghosts_from_bulk_load").get("summary").asText()).contains("8 ghosts")
                .contains("1 transaction");
        assertThat(fixture.checksum()).isEqualTo(before);
    }

    @Test
    void theIncidentWindowCountsGhostsMadeWhileTheTriggerWasNotFiring() {
        fixture.restoredGhosts(2, Duration.ofHours(3));
        Ghostwatch withHistory = Ghostwatch.against(db);
        assertThat(withHistory.run("check").exitCode()).isZero(); // recorded: trigger firing
        fixture.triggerState("DISABLE");
        for (int i = 0; i < 3; i++) {
            assertThat(fixture.signup(true).ghost()).as("a signup while the trigger is off").isTrue();
        }

        Ghostwatch.Result json = withHistory.run("check", "--output", "json");
        Ghostwatch.Result table = withHistory.run("check");

        JsonNode window = parse(json).at("/snapshot/ghosts/window");
        assertThat(window.get("whileTriggerNotFiring").asLong()).isEqualTo(3);
        assertThat(window.get("firstCreatedAt").asText()).isNotEmpty();
        long perHour = 0;
        for (JsonNode h : window.get("perHour")) {
            perHour += h.get("ghosts").asLong();
        }
        assertThat(perHour).isEqualTo(5);
        assertThat(window.get("perHour")).hasSizeGreaterThanOrEqualTo(2);
        assertThat(table.stdout()).contains("created while the trigger was not firing: 3 (from the recorded checks)");
    }

    @Test
    void readOnlyModeFailsEverySignupBeforeAnyRowIsWritten() {
        // supabase/supabase#9824, #32689: a nearly full disk puts the project into read-only mode.
        db.execute("ALTER DATABASE " + db.name() + " SET default_transaction_read_only = on");

        JsonNode cause = assertEverySignupFails("read-only transaction", "read_only_mode", Counted.NOTHING_WRITABLE,
                "read-only transaction", "default_transaction_read_only");

        assertThat(cause.get("summary").asText()).contains("database " + db.name()).contains("25006");
        assertThat(cause.get("fix").asText()).contains("ALTER DATABASE \"" + db.name()
                + "\" RESET default_transaction_read_only;");
        assertThat(cause.get("heuristic").asBoolean()).isFalse();
    }

    @Test
    void aColumnTheFunctionWritesWasDropped() {
        db.execute("ALTER TABLE public.users ADD COLUMN full_name text");
        function("SECURITY DEFINER SET search_path = ''", "INSERT INTO public.users (id, email, full_name)"
                + " VALUES (NEW.id, NEW.email, NEW.raw_user_meta_data->>'full_name'); RETURN NEW;");
        db.execute("ALTER TABLE public.users DROP COLUMN full_name");

        JsonNode cause = assertEverySignupFails("column \"full_name\" of relation \"users\" does not exist",
                "function_column_missing");

        assertThat(cause.get("summary").asText()).contains("full_name").contains("public.users")
                .doesNotContain("email,");
    }

    @Test
    void anExtensionFunctionThatTheEmptySearchPathDoesNotReach() {
        // Supabase's linter advises SET search_path = ''; extensions live in schema "extensions".
        db.execute("CREATE SCHEMA extensions",
                "CREATE FUNCTION extensions.slugify(value text) RETURNS text LANGUAGE sql IMMUTABLE"
                        + " AS $$ SELECT lower(regexp_replace(value, '[^a-zA-Z0-9]+', '-', 'g')) $$",
                "ALTER TABLE public.users ADD COLUMN handle text");
        function("SECURITY DEFINER SET search_path = ''", "INSERT INTO public.users (id, email, handle)"
                + " VALUES (NEW.id, NEW.email, slugify(NEW.email)); RETURN NEW;");

        JsonNode cause = assertEverySignupFails("function slugify(character varying) does not exist",
                "function_call_unresolved");

        assertThat(cause.get("summary").asText()).contains("slugify(1 argument)").contains("extensions");
        assertThat(cause.get("fix").asText()).contains("extensions.slugify");
    }

    @Test
    void anExtensionFunctionThatTheAuthServersLoginSearchPathDoesNotReach() {
        // supabase/supa_audit#46: uuid_generate_v4() lives in schema extensions; a trigger function without a
        // search_path of its own runs with the auth server's (auth): "Database error saving new user".
        db.execute("CREATE SCHEMA extensions",
                "CREATE FUNCTION extensions.uuid_generate_v4() RETURNS uuid LANGUAGE sql AS $$ SELECT"
                        + " pg_catalog.gen_random_uuid() $$",
                "ALTER TABLE public.users ADD COLUMN referral_code uuid");
        function("SECURITY DEFINER", "INSERT INTO public.users (id, email, referral_code)"
                + " VALUES (NEW.id, NEW.email, uuid_generate_v4()); RETURN NEW;");

        JsonNode cause = assertEverySignupFails("function uuid_generate_v4() does not exist",
                "function_call_unresolved");

        assertThat(cause.get("summary").asText()).contains("uuid_generate_v4(0 arguments)").contains("auth");
        assertThat(cause.get("evidence").asText()).contains("supabase_auth_admin's login search_path");
    }

    @Test
    void aQualifiedExtensionCallIsNoCause() {
        db.execute("CREATE SCHEMA extensions",
                "CREATE FUNCTION extensions.slugify(value text) RETURNS text LANGUAGE sql IMMUTABLE"
                        + " AS $$ SELECT lower(value) $$",
                "ALTER TABLE public.users ADD COLUMN handle text");
        function("SECURITY DEFINER SET search_path = ''", "INSERT INTO public.users (id, email, handle)"
                + " VALUES (NEW.id, NEW.email, extensions.slugify(NEW.email::text)); RETURN NEW;");
        assertThat(fixture.signup(false).synced()).as("a real signup syncs").isTrue();

        assertThat(check(false).get("priority").asText()).isEqualTo("OK");
        assertThat(diagnose()).isEmpty();
    }

    @Test
    void aSignupRoleThatMayNotInsertIdentities() {
        // A preview branch restored by another role: auth.users is no longer the auth server's.
        db.execute("ALTER TABLE auth.users OWNER TO " + db.user(),
                "REVOKE ALL ON auth.users FROM " + SupabaseFixture.SIGNUP_ROLE);

        JsonNode cause = assertEverySignupFails("permission denied for table users",
                "signup_role_cannot_insert_identity", Counted.NO_ROW, "may not insert into auth.users",
                "every signup fails");

        assertThat(cause.get("summary").asText()).contains("INSERT on auth.users");
        assertThat(cause.get("fix").asText()).contains("GRANT INSERT ON \"auth\".\"users\" TO \"supabase_auth_admin\"");
    }

    @Test
    void aStatementLevelSyncTriggerFailsTheTriggerRow() {
        db.execute("DROP TRIGGER on_auth_user_created ON auth.users",
                "CREATE TRIGGER on_auth_user_created AFTER INSERT ON auth.users FOR EACH STATEMENT"
                        + " EXECUTE FUNCTION public.handle_new_user()");

        assertEverySignupFails("null value in column \"id\"", "trigger_statement_level");

        JsonNode row = check(false).get("checks").get(3);
        assertThat(row.get("checkName").asText()).isEqualTo("trigger_exists_check");
        assertThat(row.get("passed").asBoolean()).isFalse();
        assertThat(row.get("message").asText()).contains("cannot sync a row").contains("FOR EACH STATEMENT");
    }

    @Test
    void anUpdateOnlySyncTriggerLeavesEverySignupAGhostAndFailsTheTriggerRow() {
        db.execute("DROP TRIGGER on_auth_user_created ON auth.users",
                "CREATE TRIGGER on_auth_user_created AFTER UPDATE ON auth.users FOR EACH ROW"
                        + " EXECUTE FUNCTION public.handle_new_user()");
        assertThat(fixture.signup(true).ghost()).as("the incident is real: a signup leaves a ghost").isTrue();
        String before = fixture.checksum();

        JsonNode off = check(false);

        assertThat(off.get("priority").asText()).isEqualTo("P0");
        assertThat(codes(off.get("findings"))).contains("cause_trigger_not_on_insert");
        assertThat(off.get("checks").get(3).get("passed").asBoolean()).isFalse();
        assertThat(off.get("checks").get(3).get("message").asText()).contains("not fired by INSERT");
        assertThat(codes(off.get("findings"))).doesNotContain("trigger_enabled_but_ghosts");
        assertThat(fixture.checksum()).isEqualTo(before);
    }

    @Test
    void anIfOnTheProviderLeavesOtherProvidersSignupsGhosts() {
        // Only e-mail signups get a profile; OAuth ones (another provider in raw_app_meta_data) become ghosts.
        function("SECURITY DEFINER SET search_path = ''", "IF NEW.raw_app_meta_data->>'provider' = 'email' THEN"
                + " INSERT INTO public.users (id, email) VALUES (NEW.id, NEW.email); END IF; RETURN NEW;");
        assertThat(fixture.signup(true).ghost()).as("the incident is real: a signup of another provider is a ghost")
                .isTrue();

        JsonNode off = check(false);

        assertThat(off.get("priority").asText()).as("one recent ghost").isEqualTo("P1");
        assertThat(codes(off.get("findings"))).contains("cause_profile_write_conditional");
        JsonNode cause = cause(diagnose(), "profile_write_conditional");
        assertThat(cause.get("summary").asText()).contains("raw_app_meta_data");
        assertThat(cause.get("heuristic").asBoolean()).isTrue();
    }

    @Test
    void aHandlerAroundAWebhookCallAloneIsNoCause() {
        // The profile insert is outside the block: the handler only keeps a failing webhook from failing signups.
        function("SECURITY DEFINER SET search_path = ''", "INSERT INTO public.users (id, email) VALUES (NEW.id,"
                + " NEW.email); BEGIN PERFORM pg_catalog.pg_sleep(0); EXCEPTION WHEN OTHERS THEN"
                + " RAISE WARNING 'welcome webhook failed: %', SQLERRM; END; RETURN NEW;");
        assertThat(fixture.signup(true).synced()).as("a real signup syncs").isTrue();

        assertThat(check(false).get("priority").asText()).isEqualTo("OK");
        Ghostwatch.Result r = Ghostwatch.against(db).env("GHOSTWATCH_HISTORY_ENABLED", "false").run("diagnose");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(diagnose()).isEmpty();
    }

    @Test
    void namesFromTheCatalogThatAreNoPlainIdentifiersAreQuotedNotRefused() {
        // A cloud IAM user owns the function; the profile table has a column no config key could name.
        String iamUser = "\"gw_alice@iam.corp.test\"";
        db.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gw_alice@iam.corp.test')"
                        + " THEN CREATE ROLE " + iamUser + " NOLOGIN; END IF; END $$",
                "ALTER FUNCTION public.handle_new_user() OWNER TO " + iamUser,
                "ALTER TABLE public.users ADD COLUMN \"Display-Name\" text NOT NULL DEFAULT 'x'",
                "ALTER TABLE public.users ALTER COLUMN \"Display-Name\" DROP DEFAULT");
        try {
            fixture.triggerState("DISABLE"); // the demo's P0 under way
            assertThat(fixture.signup(true).ghost()).as("a signup while the trigger is off is a ghost").isTrue();

            JsonNode report = check(false);

            assertThat(report.get("priority").asText()).isEqualTo("P0");
            assertThat(codes(report.get("findings"))).contains("trigger_disabled",
                    "cause_function_owner_cannot_insert_profile", "cause_profile_not_null_column_unset");
            JsonNode causes = diagnose();
            assertThat(cause(causes, "function_owner_cannot_insert_profile").get("fix").asText())
                    .contains("TO \"gw_alice@iam.corp.test\";");
            assertThat(cause(causes, "profile_not_null_column_unset").get("fix").asText())
                    .contains("ALTER COLUMN \"Display-Name\" SET DEFAULT");
        } finally {
            db.execute("ALTER FUNCTION public.handle_new_user() OWNER TO " + db.user());
            TestDatabase.dropRoles(iamUser);
        }
    }
}
