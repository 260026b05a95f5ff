package io.ghostwatch.deploy;

import io.ghostwatch.testing.Ghostwatch;
import io.ghostwatch.testing.Ghostwatch.Result;
import io.ghostwatch.testing.PrivateCluster;
import io.ghostwatch.testing.Psql;
import io.ghostwatch.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * ghostwatch on a database laid out as a Supabase project lays out its roles: a cluster whose superuser is
 * {@code supabase_admin}, where {@code postgres} is an ordinary role (CREATEROLE, BYPASSRLS) holding the auth
 * tables' rights without GRANT OPTION and a member of {@code supabase_auth_admin}; schema {@code auth} owned by
 * {@code supabase_admin}; {@code auth.users} owned by {@code supabase_auth_admin}, with row-level security on and
 * no policy; signups inserted by {@code supabase_auth_admin} with {@code search_path = auth}; the docs' starter
 * ({@code public.profiles}, its policies and its SECURITY DEFINER {@code handle_new_user()}); and a monitor
 * that only sql/supabase.sql, run as {@code postgres}, lets read. The steps run in order, as on a project.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SupabaseProjectIT {

    private static final String MONITOR = "ghostwatch";
    private static PrivateCluster cluster;
    private static TestDatabase db;

    @BeforeAll
    static void project() throws SQLException {
        cluster = PrivateCluster.start("supabase_admin");
        db = TestDatabase.createOn(cluster.adminUrl(), "supabase_admin", "", "supabase");
        db.execute("CREATE ROLE postgres LOGIN CREATEROLE CREATEDB BYPASSRLS",
                "CREATE ROLE supabase_auth_admin NOINHERIT CREATEROLE LOGIN",
                "CREATE ROLE authenticated NOLOGIN", "CREATE ROLE anon NOLOGIN",
                "GRANT ALL ON DATABASE " + db.name() + " TO postgres",
                "GRANT ALL ON SCHEMA public TO postgres",
                "CREATE SCHEMA auth AUTHORIZATION supabase_admin",
                "GRANT ALL ON SCHEMA auth TO supabase_auth_admin", "GRANT USAGE ON SCHEMA auth TO postgres",
                "ALTER ROLE supabase_auth_admin SET search_path = auth",
                "GRANT supabase_auth_admin TO postgres");
        as("supabase_auth_admin", """
                CREATE TABLE auth.users (
                    instance_id uuid, id uuid PRIMARY KEY, aud varchar(255), role varchar(255),
                    email varchar(255), encrypted_password varchar(255), email_confirmed_at timestamptz,
                    raw_app_meta_data jsonb, raw_user_meta_data jsonb, created_at timestamptz, updated_at timestamptz,
                    phone text UNIQUE DEFAULT NULL, phone_confirmed_at timestamptz,
                    confirmed_at timestamptz GENERATED ALWAYS AS (LEAST(email_confirmed_at, phone_confirmed_at)) STORED,
                    is_sso_user boolean NOT NULL DEFAULT false, deleted_at timestamptz,
                    is_anonymous boolean NOT NULL DEFAULT false)""",
                "ALTER TABLE auth.users ENABLE ROW LEVEL SECURITY",
                "GRANT ALL ON auth.users TO postgres");
        as("postgres", """
                CREATE TABLE public.profiles (
                    id uuid NOT NULL REFERENCES auth.users ON DELETE CASCADE, updated_at timestamptz,
                    username text UNIQUE, full_name text, avatar_url text, website text, PRIMARY KEY (id),
                    CONSTRAINT username_length CHECK (char_length(username) >= 3))""",
                "ALTER TABLE public.profiles ENABLE ROW LEVEL SECURITY",
                "CREATE POLICY \"Public profiles are viewable by everyone.\" ON public.profiles FOR SELECT"
                        + " USING (true)",
                "CREATE POLICY \"Users can insert their own profile.\" ON public.profiles FOR INSERT"
                        + " WITH CHECK (current_setting('request.jwt.claim.sub', true)::uuid = id)",
                """
                CREATE FUNCTION public.handle_new_user() RETURNS trigger
                    LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
                BEGIN
                    INSERT INTO public.profiles (id, full_name, avatar_url)
                    VALUES (new.id, new.raw_user_meta_data->>'full_name', new.raw_user_meta_data->>'avatar_url');
                    RETURN new;
                END
                $$""",
                "CREATE TRIGGER on_auth_user_created AFTER INSERT ON auth.users"
                        + " FOR EACH ROW EXECUTE PROCEDURE public.handle_new_user()",
                "CREATE ROLE " + MONITOR + " LOGIN");
        signups(6);
    }

    @AfterAll
    static void close() {
        if (db != null) {
            db.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Statements on a session of {@code role} (trust authentication), as that role runs them. */
    private static void as(String role, String... statements) throws SQLException {
        try (Connection c = db.connectAs(role, ""); Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    /** Signups as the auth server writes them: supabase_auth_admin, its login search_path (auth), unqualified. */
    private static void signups(int n) throws SQLException {
        as("supabase_auth_admin", "INSERT INTO users (id, aud, role, email, raw_user_meta_data, created_at,"
                + " updated_at) SELECT gen_random_uuid(), 'authenticated', 'authenticated', 'user-' || g || '-'"
                + " || gen_random_uuid() || '@example.com', jsonb_build_object('full_name', 'User ' || g,"
                + " 'avatar_url', 'https://avatars.example/' || g), now() - interval '10 minutes', now()"
                + " FROM generate_series(1, " + n + ") g");
    }

    private static Ghostwatch as(String role) {
        return Ghostwatch.against(db).env("QUARKUS_DATASOURCE_USERNAME", role)
                .env("GHOSTWATCH_TARGET", "supabase")
                .env("GHOSTWATCH_PROFILE_TABLE", "public.profiles")
                .env("GHOSTWATCH_PROFILE_SOFT_DELETE_COLUMN", "none");
    }

    private static long ghostsByTruth() {
        return db.queryLong("SELECT count(*) FROM auth.users a WHERE deleted_at IS NULL AND NOT EXISTS"
                + " (SELECT 1 FROM public.profiles p WHERE p.id = a.id)");
    }

    @Test
    @Order(1)
    void theLayoutIsSupabasesAndTheUsualGrantsGiveTheMonitorNothing() throws SQLException {
        assertThat(db.queryString("SELECT rolsuper || ' ' || rolbypassrls FROM pg_roles WHERE rolname = 'postgres'"))
                .isEqualTo("false true");
        assertThat(db.queryString("SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'auth'"))
                .isEqualTo("supabase_admin");
        assertThat(db.queryString("SELECT pg_get_userbyid(relowner) || ' ' || relrowsecurity FROM pg_class"
                + " WHERE oid = 'auth.users'::regclass")).isEqualTo("supabase_auth_admin true");
        assertThat(db.queryLong("SELECT count(*) FROM public.profiles")).isEqualTo(6); // the trigger works

        // What the README used to say, run as postgres: nothing is granted (rights without GRANT OPTION).
        try (Connection c = db.connectAs("postgres", ""); Statement st = c.createStatement()) {
            st.execute("GRANT USAGE ON SCHEMA auth TO " + MONITOR);
            SQLWarning warning = st.getWarnings();
            assertThat(warning == null ? "" : warning.getMessage()).contains("no privileges were granted");
        }
        Result blind = as(MONITOR).run("check");
        assertThat(blind.exitCode()).as(blind.toString()).isEqualTo(2);
        assertThat(blind.stdout()).doesNotContain("Priority");

        // The Quick start's first try, as postgres: its history tables belong to postgres.
        Result first = as("postgres").run("check");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(db.queryString("SELECT pg_get_userbyid(relowner) FROM pg_class"
                + " WHERE oid = 'ghostwatch.flyway_schema_history'::regclass")).isEqualTo("postgres");
    }

    @Test
    @Order(2)
    void afterSupabaseSqlTheLeastPrivilegedMonitorCountsEveryIdentityAndNoEmail() throws Exception {
        Psql.run(db, "postgres", "-v", "role=" + MONITOR, "-f", "sql/supabase.sql");
        assertThat(db.queryStrings("SELECT DISTINCT pg_get_userbyid(c.relowner) FROM pg_class c"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'ghostwatch'"))
                .as("the first try's history is the monitor's now").containsExactly(MONITOR);

        Result healthy = as(MONITOR).run("check", "--output", "json");
        assertThat(healthy.exitCode()).as(healthy.toString()).isZero();
        assertThat(healthy.json().at("/priority").asText()).isEqualTo("OK");
        assertThat(healthy.json().at("/snapshot/identities").asLong()).isEqualTo(6);

        as("postgres", "ALTER TABLE auth.users DISABLE TRIGGER on_auth_user_created");
        signups(3);
        as("supabase_auth_admin", "UPDATE users SET deleted_at = now(), email = 'deleted@deleted.invalid'"
                + " WHERE id = (SELECT id FROM users WHERE email LIKE 'user-1-%' ORDER BY created_at DESC LIMIT 1)");
        assertThat(ghostsByTruth()).as("3 signups without profiles, one of them deleted since").isEqualTo(2);

        Result incident = as(MONITOR).run("check", "--output", "json");
        assertThat(incident.exitCode()).as(incident.toString()).isZero();
        assertThat(incident.json().at("/priority").asText()).isEqualTo("P0");
        assertThat(incident.json().at("/snapshot/ghosts/total").asLong()).isEqualTo(2);
        assertThat(incident.json().at("/snapshot/ghosts/deletedExcluded").asLong()).isEqualTo(1);
        assertThat(incident.stdout()).doesNotContain("@example.com");
        assertThat(db.queryLong("SELECT count(*) FROM ghostwatch.check_runs")).as("postgres's first try and the"
                + " monitor's two, recorded").isEqualTo(3);

        try (Connection c = db.connectAs(MONITOR, ""); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeQuery("SELECT email FROM auth.users"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> st.executeUpdate("DELETE FROM public.profiles"))
                    .hasMessageContaining("permission denied");
        }
        Result diagnose = as(MONITOR).run("diagnose", "--output", "json");
        assertThat(diagnose.exitCode()).as(diagnose.toString()).isEqualTo(1);
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(diagnose.stdout()).get("causes")
                .findValuesAsText("code")).contains("trigger_disabled");
        Result history = as(MONITOR).run("history");
        assertThat(history.exitCode()).as(history.toString()).isZero();
        Result export = as(MONITOR).run("export", "affected");
        assertThat(export.exitCode()).as(export.toString()).isZero();
        assertThat(export.stdout().lines().filter(l -> l.matches("[0-9a-f-]{36}.*"))).hasSize(2);
    }

    @Test
    @Order(3)
    void postgresRestoresTheTriggerAndBackfillsWhatItWouldHaveWritten() {
        Result backfillFirst = as("postgres").run("fix", "backfill", "--apply", "--reason", "too early");
        assertThat(backfillFirst.exitCode()).isEqualTo(2);
        assertThat(backfillFirst.stderr()).contains("ghostwatch fix trigger");

        Result trigger = as("postgres").run("fix", "trigger", "--apply", "--reason", "incident: trigger disabled");
        assertThat(trigger.exitCode()).as(trigger.toString()).isZero();
        Result dryRun = as("postgres").run("fix", "backfill");
        assertThat(dryRun.exitCode()).as(dryRun.toString()).isZero();
        assertThat(dryRun.stdout()).contains("would change 2 rows",
                "replaying the sync function public.handle_new_user",
                "2 changed");

        Result backfill = as("postgres").run("fix", "backfill", "--apply", "--reason", "incident: Step 4");
        assertThat(backfill.exitCode()).as(backfill.toString()).isZero();
        assertThat(ghostsByTruth()).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM public.profiles p JOIN auth.users a ON a.id = p.id"
                + " WHERE p.full_name = a.raw_user_meta_data->>'full_name'"
                + " AND p.avatar_url = a.raw_user_meta_data->>'avatar_url'")).isEqualTo(8);
        assertThat(db.queryLong("SELECT count(*) FROM auth.users a WHERE NOT EXISTS"
                + " (SELECT 1 FROM public.profiles p WHERE p.id = a.id)")).as("the deleted user got none").isEqualTo(1);

        Result after = as(MONITOR).run("check", "--output", "json");
        assertThat(after.exitCode()).as(after.toString()).isZero();
        assertThat(after.json().at("/priority").asText()).isEqualTo("OK");
    }

    /**
     * The starter grown as public projects grow it: handle_new_user() also makes each user's settings row, inside
     * an exception handler (so a failing side table never blocks a signup). A migration's slip (a NOT NULL column
     * whose default is dropped) makes that write fail for every new user: signups commit with their profile and
     * no settings. The path shows the table; the least-privileged monitor, once let read its key, counts it.
     */
    @Test
    @Order(4)
    void aSecondTableThePathWritesIsAContractCountedIdentityByIdentity() throws SQLException {
        as("postgres", "CREATE TABLE public.user_settings (user_id uuid PRIMARY KEY REFERENCES auth.users"
                        + " ON DELETE CASCADE, theme text NOT NULL DEFAULT 'light')",
                "INSERT INTO public.user_settings (user_id) SELECT id FROM auth.users WHERE deleted_at IS NULL",
                """
                CREATE OR REPLACE FUNCTION public.handle_new_user() RETURNS trigger
                    LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
                BEGIN
                    INSERT INTO public.profiles (id, full_name, avatar_url)
                    VALUES (new.id, new.raw_user_meta_data->>'full_name', new.raw_user_meta_data->>'avatar_url');
                    BEGIN
                        INSERT INTO public.user_settings (user_id) VALUES (new.id);
                    EXCEPTION WHEN others THEN
                        RAISE WARNING 'settings not created for %: %', new.id, SQLERRM;
                    END;
                    RETURN new;
                END
                $$""");
        signups(2);
        assertThat(settingsMissing()).as("every live user has settings").isZero();

        Result unread = as(MONITOR).run("check", "--output", "json");
        assertThat(unread.exitCode()).as(unread.toString()).isZero();
        assertThat(unread.json().at("/contracts/0/table").asText()).isEqualTo("public.user_settings");
        assertThat(unread.json().at("/contracts/0/origin").asText()).isEqualTo("discovered");
        assertThat(unread.json().at("/contracts/0/missing").isNull()).as("not readable: unknown, not 0").isTrue();
        assertThat(unread.json().at("/contracts/0/unknown").asText()).contains("permission denied");
        assertThat(unread.json().at("/priority").asText()).as("its write rate is still watched: a note")
                .isEqualTo("OK");

        as("postgres", "GRANT SELECT (user_id) ON public.user_settings TO " + MONITOR);
        Result counted = as(MONITOR).run("check", "--output", "json");
        assertThat(counted.json().at("/contracts/0/missing").asLong()).as(counted.stdout()).isZero();
        assertThat(counted.json().at("/contracts/0/carried").asBoolean()).isFalse();
        Result quiet = as(MONITOR).run("check", "--output", "json");
        assertThat(quiet.json().at("/contracts/0/carried").asBoolean()).as("nothing moved: the count is carried")
                .isTrue();

        as("postgres", "ALTER TABLE public.user_settings ADD COLUMN locale text NOT NULL DEFAULT 'en'",
                "ALTER TABLE public.user_settings ALTER COLUMN locale DROP DEFAULT");
        signups(3);
        assertThat(ghostsByTruth()).as("every signup got its profile").isZero();
        assertThat(settingsMissing()).as("the incident is real: three users without settings").isEqualTo(3);

        Result incident = as(MONITOR).run("check", "--output", "json");
        assertThat(incident.exitCode()).as(incident.toString()).isZero();
        assertThat(incident.json().at("/contracts/0/missing").asLong()).as(incident.stdout()).isEqualTo(3);
        assertThat(incident.json().at("/contracts/0/carried").asBoolean()).as("a signup without its row").isFalse();
        assertThat(incident.json().at("/priority").asText()).isEqualTo("P1");
        com.fasterxml.jackson.databind.JsonNode finding = io.ghostwatch.testing.Reports.finding(incident.json(), "contract_rows_missing");
        assertThat(finding).as(incident.stdout()).isNotNull();
        assertThat(finding.get("summary").asText()).contains("public.user_settings").contains("3 identities")
                .contains("for every identity");

        Result export = as(MONITOR).run("export", "affected", "--contract", "public.user_settings");
        assertThat(export.exitCode()).as(export.toString()).isZero();
        assertThat(export.stdout().lines().filter(l -> l.matches("[0-9a-f-]{36}.*")).map(l -> l.substring(0, 36))
                .toList()).containsExactlyInAnyOrderElementsOf(db.queryStrings("SELECT id::text FROM auth.users a"
                + " WHERE deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM public.user_settings s"
                + " WHERE s.user_id = a.id)"));

        Result still = as(MONITOR).run("check", "--output", "json");
        assertThat(still.json().at("/contracts/0/carried").asBoolean()).isTrue();
        assertThat(still.json().at("/contracts/0/missing").asLong()).isEqualTo(3);
    }

    /**
     * The contract's rows backfilled by postgres, as Step 4 does the profile's: refused while the table's new
     * column has no default (the trial names --columns), applied once the migration is repaired, never for the
     * deleted user, and verified by the check after.
     */
    @Test
    @Order(5)
    void postgresBackfillsTheContractsMissingRowsOnceTheTableCanTakeThem() throws SQLException {
        Result refused = as("postgres").run("fix", "backfill", "--contract", "public.user_settings");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.stderr()).contains("--columns").contains("nothing was changed");
        assertThat(settingsMissing()).isEqualTo(3);

        as("postgres", "ALTER TABLE public.user_settings ALTER COLUMN locale SET DEFAULT 'en'");
        Result dryRun = as("postgres").run("fix", "backfill", "--contract", "public.user_settings");
        assertThat(dryRun.exitCode()).as(dryRun.toString()).isZero();
        assertThat(dryRun.stdout()).contains("would change 3 rows", "into public.user_settings", "DRY RUN");
        assertThat(settingsMissing()).as("a dry run changes nothing").isEqualTo(3);

        Result applied = as("postgres").run("fix", "backfill", "--contract", "public.user_settings", "--apply",
                "--reason", "incident: settings not created");
        assertThat(applied.exitCode()).as(applied.toString()).isZero();
        assertThat(applied.stdout()).contains("applied: 3 rows changed", "verified");
        assertThat(settingsMissing()).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM public.user_settings s JOIN auth.users a ON a.id = s.user_id"
                + " WHERE a.deleted_at IS NOT NULL")).as("the deleted user got none").isZero();
        assertThat(db.queryLong("SELECT count(*) FROM ghostwatch.remediations WHERE action = 'contract'"
                + " AND rows_affected = 3")).as("audited").isEqualTo(1);

        Result after = as(MONITOR).run("check", "--output", "json");
        assertThat(after.json().at("/contracts/0/missing").asLong()).as(after.stdout()).isZero();
        assertThat(after.json().at("/priority").asText()).isEqualTo("OK");
    }

    /**
     * The starter's unique username filled from GitHub's user_name by a later migration (the docs' profiles
     * have username UNIQUE): a second GitHub user with a taken name cannot sign up, while Google signups (no
     * user_name: NULL, which a unique index takes) commit. The least-privileged monitor counts the rollbacks,
     * names the function, column and index, and tells the kinds apart through the view, never reading a value.
     */
    @Test
    @Order(6)
    void aUsernameFromTheProvidersMetadataCollidesWhileOtherProvidersCommit() throws SQLException {
        as("postgres", """
                CREATE OR REPLACE FUNCTION public.handle_new_user() RETURNS trigger
                    LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
                BEGIN
                    INSERT INTO public.profiles (id, username, full_name, avatar_url)
                    VALUES (new.id, new.raw_user_meta_data->>'user_name', new.raw_user_meta_data->>'full_name',
                            new.raw_user_meta_data->>'avatar_url');
                    INSERT INTO public.user_settings (user_id) VALUES (new.id);
                    RETURN new;
                END
                $$""");
        Result before = as(MONITOR).run("check", "--output", "json");
        assertThat(before.exitCode()).as(before.toString()).isZero();
        com.fasterxml.jackson.databind.JsonNode latent = io.ghostwatch.testing.Reports.finding(before.json(),
                "cause_signup_value_collides");
        assertThat(latent).as("read from the catalog before any signup fails: " + before.stdout()).isNotNull();
        assertThat(latent.get("priority").asText()).isEqualTo("P2");
        io.ghostwatch.testing.SupabaseFixture counters = new io.ghostwatch.testing.SupabaseFixture(db);
        long attempts = counters.identityInsertsCounted();

        oauthSignup("github", "{\"user_name\": \"octocat\", \"full_name\": \"Mona\"}");
        for (int i = 0; i < 4; i++) {
            oauthSignup("google", "{\"full_name\": \"Ada " + i + "\"}");
        }
        assertThatThrownBy(() -> oauthSignup("github", "{\"user_name\": \"octocat\", \"full_name\": \"Other\"}"))
                .as("the incident is real: the second octocat cannot sign up")
                .hasMessageContaining("duplicate key value violates unique constraint \"profiles_username_key\"");
        counters.awaitIdentityInsertsCounted(attempts + 6);

        Result incident = as(MONITOR).run("check", "--output", "json");

        assertThat(incident.exitCode()).as(incident.toString()).isZero();
        com.fasterxml.jackson.databind.JsonNode cause = io.ghostwatch.testing.Reports.finding(incident.json(),
                "cause_signup_value_collides");
        assertThat(cause.get("priority").asText()).as(incident.stdout()).isEqualTo("P1");
        assertThat(cause.get("summary").asText()).contains("public.handle_new_user()")
                .contains("public.profiles.username").contains("profiles_username_key")
                .contains("two signups that send the same 'user_name'");
        com.fasterxml.jackson.databind.JsonNode rolledBack = io.ghostwatch.testing.Reports.finding(incident.json(),
                "signups_rolled_back");
        assertThat(rolledBack.get("summary").asText()).contains("1 of 6 attempts failing, 17%")
                .contains("signup_value_collides").contains("kinds committed since the last check: google 4, github 1");
        assertThat(incident.stdout()).as("the kinds, never a value").doesNotContain("octocat").doesNotContain("Ada");
    }

    /** An OAuth signup as the auth server writes it: the provider in the app metadata, the claims in the user's. */
    private static void oauthSignup(String provider, String claims) throws SQLException {
        try (Connection c = db.connectAs("supabase_auth_admin", "");
             java.sql.PreparedStatement st = c.prepareStatement("INSERT INTO users (id, aud, role, email,"
                     + " raw_app_meta_data, raw_user_meta_data, created_at, updated_at) VALUES (gen_random_uuid(),"
                     + " 'authenticated', 'authenticated', gen_random_uuid() || '@example.com',"
                     + " jsonb_build_object('provider', ?::text), ?::jsonb, now(), now())")) {
            st.setString(1, provider);
            st.setString(2, claims);
            st.executeUpdate();
        }
    }

    private static long settingsMissing() {
        return db.queryLong("SELECT count(*) FROM auth.users a WHERE deleted_at IS NULL AND NOT EXISTS"
                + " (SELECT 1 FROM public.user_settings s WHERE s.user_id = a.id)");
    }
}
