package io.ghostwatch.diagnose;

import com.fasterxml.jackson.databind.JsonNode;
import io.ghostwatch.testing.AuthServerDatabaseTest;
import io.ghostwatch.testing.Ghostwatch;
import io.ghostwatch.testing.SupabaseFixture.Signup;
import org.junit.jupiter.api.Test;

import static io.ghostwatch.testing.Reports.finding;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signups of some kinds failing on a value their own row supplies, named from the function's text against the
 * catalog with the canary off. Each incident is rebuilt from a public project or issue and proven first by real
 * signups as supabase_auth_admin, of the kinds that fail and of the kinds that commit; each healthy shape names
 * nothing.
 */
class SignupValueIT extends AuthServerDatabaseTest {

    private JsonNode check() {
        return Ghostwatch.against(db).run("check", "--output", "json").json(0);
    }

    /** The signup failed with the database's error: the incident is real. */
    private static void failed(Signup s, String error) {
        assertThat(s.failed()).as("the incident is real: " + s).isTrue();
        assertThat(s.error()).contains(error);
    }

    /** A check's finding of this code, which must be there. */
    private JsonNode cause(String code) {
        JsonNode report = check();
        JsonNode cause = finding(report, code);
        assertThat(cause).as(report.toPrettyString()).isNotNull();
        return cause;
    }

    /** A second AFTER INSERT trigger whose function (SECURITY INVOKER, the default) writes public.user_settings. */
    private void secondTriggerWritesSettings() {
        db.execute("CREATE TABLE public.user_settings (user_id uuid PRIMARY KEY, theme text DEFAULT 'light')",
                "CREATE FUNCTION public.create_settings() RETURNS trigger LANGUAGE plpgsql SET search_path = ''"
                        + " AS $$ BEGIN INSERT INTO public.user_settings (user_id) VALUES (NEW.id); RETURN NEW; END $$",
                "CREATE TRIGGER on_auth_user_settings AFTER INSERT ON auth.users FOR EACH ROW"
                        + " EXECUTE FUNCTION public.create_settings()");
    }

    /** The sync function with this insert into public.users (schema-qualified, as Supabase's docs write it). */
    private void syncInserts(String columns, String values) {
        db.execute("CREATE OR REPLACE FUNCTION public.handle_new_user() RETURNS trigger LANGUAGE plpgsql"
                + " SECURITY DEFINER SET search_path = '' AS $$ BEGIN INSERT INTO public.users (" + columns
                + ") VALUES (" + values + "); RETURN NEW; END $$");
    }

    /**
     * A profile e-mail made NOT NULL, then phone sign-in enabled: the function copies NEW.email, which a phone
     * signup does not have (e.g. bcgov/SIMS#6470's "null value in column email" for accounts without one). The
     * e-mail signups commit, so only the counters see the rest, and the cause says which kind fails.
     */
    @Test
    void phoneSignupsFailOnANotNullEMailWhileEMailSignupsCommitAndTheP1NamesTheKindAndTheShare() {
        // Phone users who signed up in the days before the column was made NOT NULL, as the auth server marks them.
        db.execute("INSERT INTO auth.users (id, phone, raw_app_meta_data, created_at, updated_at)"
                + " SELECT gen_random_uuid(), '1444000000' || g, '{\"provider\": \"phone\"}', now() - interval '2 days',"
                + " now() - interval '2 days' FROM generate_series(1, 6) g",
                // The migration that made it NOT NULL filled the old rows first.
                "UPDATE public.users SET email = '' WHERE email IS NULL",
                "ALTER TABLE public.users ALTER COLUMN email SET NOT NULL");
        long counted = fixture.identityInsertsCounted();
        JsonNode before = check();
        JsonNode latent = finding(before, "cause_signup_value_missing");
        assertThat(latent).as("named before any signup fails: " + before.toPrettyString()).isNotNull();
        assertThat(latent.get("priority").asText()).isEqualTo("P2");

        for (int i = 0; i < 20; i++) {
            assertThat(fixture.signup(true).synced()).as("e-mail signups commit with their profile").isTrue();
        }
        for (int i = 0; i < 3; i++) {
            Signup phone = fixture.phoneSignup(null, true);
            assertThat(phone.failed()).as("the incident is real: phone signups fail").isTrue();
            assertThat(phone.error()).contains("null value in column \"email\"");
        }
        fixture.awaitIdentityInsertsCounted(counted + 23);

        JsonNode report = check();

        JsonNode cause = finding(report, "cause_signup_value_missing");
        assertThat(cause.get("priority").asText()).as(report.toPrettyString()).isEqualTo("P1");
        assertThat(cause.get("summary").asText()).contains("NEW.email").contains("public.users.email")
                .contains("phone signups and guests (anonymous sign-ins) have no e-mail").contains("23502")
                .contains("Signups roll back now");
        assertThat(cause.get("actions").toString()).contains("coalesce(NEW.email, '')").contains("DROP NOT NULL");
        JsonNode rolledBack = finding(report, "signups_rolled_back");
        assertThat(rolledBack.get("priority").asText()).isEqualTo("P1");
        assertThat(rolledBack.get("summary").asText()).contains("3 of 23 attempts failing, 13%")
                .contains("signup_value_missing")
                .contains("kinds committed since the last check: email 20; in the 7 days before: phone 6");
    }

    @Test
    void aCoalescedEMailLetsPhoneSignupsCommitAndNamesNothing() {
        db.execute("ALTER TABLE public.users ALTER COLUMN email SET NOT NULL");
        syncInserts("id, email", "NEW.id, coalesce(NEW.email, '')");
        assertThat(fixture.phoneSignup(null, true).synced()).as("the healthy shape: phone signups commit").isTrue();
        assertThat(fixture.signup(true).synced()).isTrue();

        JsonNode report = check();

        assertThat(report.toString()).as(report.toPrettyString()).doesNotContain("signup_value")
                .doesNotContain("metadata_cast");
    }

    /**
     * Supabase's docs copy the form's full_name into the profile; made NOT NULL, an OAuth provider that sends
     * another key (GitHub's user_name) fails while the form's signups commit.
     */
    @Test
    void aMetadataKeyOneProviderDoesNotSendIntoANotNullColumn() {
        db.execute("ALTER TABLE public.users ADD COLUMN full_name text NOT NULL");
        syncInserts("id, email, full_name", "NEW.id, NEW.email, NEW.raw_user_meta_data ->> 'full_name'");
        assertThat(fixture.signupWithMetadata("{\"full_name\": \"Ada Lovelace\"}", true).synced()).isTrue();
        failed(fixture.signupWithMetadata("{\"user_name\": \"octocat\"}", true), "null value in column \"full_name\"");

        JsonNode cause = cause("cause_signup_value_missing");

        assertThat(cause.get("summary").asText()).contains("public.users.full_name")
                .contains("signups that do not send 'full_name' in their metadata")
                .contains("each OAuth provider its own keys");
    }

    /**
     * A username from the e-mail's local part under a unique index (logchimp/logchimp#1319,
     * ITISFoundation/osparc-simcore#8208): john@a.example commits, john@b.example fails.
     */
    @Test
    void aUsernameFromTheEMailsLocalPartCollidesAcrossDomains() {
        db.execute("ALTER TABLE public.users ADD COLUMN username text UNIQUE");
        syncInserts("id, email, username", "NEW.id, NEW.email, split_part(NEW.email, '@', 1)");
        assertThat(fixture.signup("john@a.example", true).synced()).isTrue();
        failed(fixture.signup("john@b.example", true), "duplicate key value violates unique constraint");

        JsonNode cause = cause("cause_signup_value_collides");

        assertThat(cause.get("summary").asText()).contains("split_part(NEW.email, '@', 1)")
                .contains("public.users.username").contains("users_username_key")
                .contains("two addresses with the same local part").contains("23505");
    }

    @Test
    void aLocalPartMadeUniqueByTheIdentitysIdNamesNothing() {
        db.execute("ALTER TABLE public.users ADD COLUMN username text UNIQUE");
        syncInserts("id, email, username",
                "NEW.id, NEW.email, split_part(NEW.email, '@', 1) || '_' || left(NEW.id::text, 8)");
        assertThat(fixture.signup("john@a.example", true).synced()).isTrue();
        assertThat(fixture.signup("john@b.example", true).synced()).as("the healthy shape: both commit").isTrue();

        JsonNode report = check();

        assertThat(report.toString()).as(report.toPrettyString()).doesNotContain("signup_value");
    }

    /** An age field cast from the form's text, as Supabase's docs showed it: a blank field fails the signup. */
    @Test
    void metadataTextCastToAnIntegerFailsTheSignupsThatSendItBlank() {
        db.execute("ALTER TABLE public.users ADD COLUMN age integer");
        syncInserts("id, email, age", "NEW.id, NEW.email, (NEW.raw_user_meta_data ->> 'age')::integer");
        assertThat(fixture.signupWithMetadata("{\"age\": \"30\"}", true).synced()).isTrue();
        failed(fixture.signupWithMetadata("{\"age\": \"\"}", true), "invalid input syntax for type integer");

        JsonNode cause = cause("cause_metadata_cast_fails");

        assertThat(cause.get("summary").asText()).contains("NEW.raw_user_meta_data->>'age'").contains("integer")
                .contains("public.users.age").contains("22P02");
        assertThat(cause.get("priority").asText()).isEqualTo("P2");
    }

    @Test
    void aCastBehindAPatternTestNamesNothing() {
        db.execute("ALTER TABLE public.users ADD COLUMN age integer");
        syncInserts("id, email, age", "NEW.id, NEW.email, CASE WHEN NEW.raw_user_meta_data ->> 'age' ~ '^[0-9]+$'"
                + " THEN (NEW.raw_user_meta_data ->> 'age')::integer END");
        assertThat(fixture.signupWithMetadata("{\"age\": \"\"}", true).synced()).as("the healthy shape").isTrue();

        JsonNode report = check();

        assertThat(report.toString()).as(report.toPrettyString()).doesNotContain("metadata_cast");
    }

    /**
     * The runbook's Scenario 4 soft-deletes an orphaned profile, which keeps its e-mail under a unique index:
     * the user who comes back with the same address cannot sign up again.
     */
    @Test
    void aReturningUserCollidesWithTheProfileTheirDeletedAccountKept() {
        db.execute("CREATE UNIQUE INDEX users_email_key ON public.users (email)");
        Signup first = fixture.signup("back@example.com", true);
        assertThat(first.synced()).isTrue();
        db.execute("DELETE FROM auth.users WHERE id = '" + first.id() + "'",
                "UPDATE public.users SET deleted_at = now() WHERE id = '" + first.id() + "'");
        failed(fixture.signup("back@example.com", true), "duplicate key value violates unique constraint \"users_email_key\"");

        JsonNode cause = cause("cause_signup_value_collides");

        assertThat(cause.get("summary").asText()).contains("a user who comes back with the same email")
                .contains("soft-deleted rows keep theirs");
    }

    @Test
    void aUniqueIndexOverLiveProfilesOnlyLetsTheUserComeBackAndNamesNothing() {
        db.execute("CREATE UNIQUE INDEX users_email_key ON public.users (email) WHERE deleted_at IS NULL");
        Signup first = fixture.signup("back@example.com", true);
        db.execute("DELETE FROM auth.users WHERE id = '" + first.id() + "'",
                "UPDATE public.users SET deleted_at = now() WHERE id = '" + first.id() + "'");
        assertThat(fixture.signup("back@example.com", true).synced()).as("the healthy shape").isTrue();

        JsonNode report = check();

        assertThat(report.toString()).as(report.toPrettyString()).doesNotContain("signup_value");
    }

    /**
     * A second trigger's function left SECURITY INVOKER writes a table the auth server's role may not: every
     * signup fails with 42501 though the sync function is fine.
     */
    @Test
    void aSecondTriggerRunningAsTheAuthRoleWithoutInsertFailsEverySignup() {
        secondTriggerWritesSettings();
        failed(fixture.signup(true), "permission denied for table user_settings");

        JsonNode cause = cause("cause_path_write_not_permitted");

        assertThat(cause.get("priority").asText()).isEqualTo("P0");
        assertThat(cause.get("summary").asText()).contains("on_auth_user_settings").contains("public.create_settings()")
                .contains("public.user_settings").contains("supabase_auth_admin").contains("not SECURITY DEFINER");

        db.execute("ALTER FUNCTION public.create_settings() SECURITY DEFINER");
        assertThat(fixture.signup(true).synced()).as("the healthy shape: signups commit").isTrue();
        assertThat(check().toString()).doesNotContain("path_write_not_permitted");
    }
    /**
     * The same second table granted to the auth role but with row-level security on and no INSERT policy (the
     * advice to "enable RLS on every table" followed for it): the grants allow the insert, the policy does not.
     */
    @Test
    void aSecondTablesRowLevelSecurityWithoutAnInsertPolicyFailsEverySignup() {
        secondTriggerWritesSettings();
        db.execute("GRANT INSERT ON public.user_settings TO supabase_auth_admin",
                "ALTER TABLE public.user_settings ENABLE ROW LEVEL SECURITY");
        failed(fixture.signup(true), "new row violates row-level security policy for table \"user_settings\"");

        JsonNode report = check();

        JsonNode cause = finding(report, "cause_path_write_rls_blocks");
        assertThat(cause).as(report.toPrettyString()).isNotNull();
        assertThat(cause.get("priority").asText()).isEqualTo("P0");
        assertThat(cause.get("summary").asText()).contains("public.create_settings()").contains("public.user_settings")
                .contains("supabase_auth_admin");
        assertThat(report.toString()).as("the grants allow it").doesNotContain("path_write_not_permitted");

        db.execute("CREATE POLICY settings_on_signup ON public.user_settings FOR INSERT TO supabase_auth_admin"
                + " WITH CHECK (true)");
        assertThat(fixture.signup(true).synced()).as("the healthy shape: signups commit").isTrue();
        assertThat(check().toString()).doesNotContain("path_write_rls_blocks");
    }
    /**
     * A second function that writes through dynamic SQL (EXECUTE format(…)): its writes cannot be read, and the
     * report says so instead of reading it as harmless.
     */
    @Test
    void aFunctionThatWritesThroughDynamicSqlIsSaidToBeUnread() {
        db.execute("CREATE TABLE public.wallets (user_id uuid PRIMARY KEY, balance int NOT NULL)",
                "CREATE FUNCTION public.create_wallet() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER"
                        + " SET search_path = '' AS $$ BEGIN EXECUTE pg_catalog.format('INSERT INTO %I.wallets (user_id)"
                        + " VALUES ($1)', 'public') USING NEW.id; RETURN NEW; END $$",
                "CREATE TRIGGER on_auth_user_wallet AFTER INSERT ON auth.users FOR EACH ROW"
                        + " EXECUTE FUNCTION public.create_wallet()");
        failed(fixture.signup(true), "null value in column \"balance\"");

        JsonNode report = check();

        assertThat(report.at("/signupPath/notes").toString()).as(report.toPrettyString())
                .contains("public.create_wallet()").contains("runs dynamic SQL (EXECUTE").contains("not read");
    }
}
