package io.ghostwatch.path;

import com.fasterxml.jackson.databind.JsonNode;
import io.ghostwatch.testing.AuthServerDatabaseTest;
import io.ghostwatch.testing.Ghostwatch;
import io.ghostwatch.testing.SupabaseFixture;
import io.ghostwatch.testing.SupabaseFixture.Signup;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The profile contract read from the signup path, on databases laid out as public Supabase projects are, each
 * proven by signups and confirmations as the auth server makes them (an INSERT as supabase_auth_admin, later an
 * UPDATE of email_confirmed_at in its own transaction): identities the path leaves out by design are not ghosts,
 * and when the path stops writing profiles the contract it had still decides who is one.
 */
class ProfileContractIT extends AuthServerDatabaseTest {

    /** The profile made when the e-mail is first confirmed (the trigger keeps the runbook's name). */
    private void confirmationFlow() {
        db.execute("DROP TRIGGER on_auth_user_created ON auth.users",
                "CREATE TRIGGER on_auth_user_created AFTER UPDATE OF email_confirmed_at ON auth.users"
                        + " FOR EACH ROW WHEN (OLD.email_confirmed_at IS NULL AND NEW.email_confirmed_at IS NOT NULL)"
                        + " EXECUTE FUNCTION public.handle_new_user()");
    }

    /** The auth server's confirmation: an UPDATE of the user's row, as the signup role, in its own transaction. */
    private void confirm(String id) throws SQLException {
        try (Connection c = db.connectAs(SupabaseFixture.SIGNUP_ROLE, "");
             PreparedStatement st = c.prepareStatement("UPDATE auth.users SET email_confirmed_at = now()"
                     + " WHERE id = ?::uuid")) {
            st.setString(1, id);
            st.executeUpdate();
        }
    }

    private boolean hasProfile(String id) {
        return db.queryLong("SELECT count(*) FROM public.users WHERE id = ?::uuid", id) == 1;
    }

    /** The cause of that code in a report's diagnosis, or null. */
    private static JsonNode cause(JsonNode report, String code) {
        for (JsonNode c : report.at("/snapshot/diagnosis")) {
            if (c.get("code").asText().equals(code)) {
                return c;
            }
        }
        return null;
    }

    private JsonNode check() {
        return Ghostwatch.against(db).run("check", "--output", "json").json();
    }

    @Test
    void aProfileMadeOnConfirmationIsHealthyByDesignAndItsTriggerDroppedCountsOnlyConfirmedUsers()
            throws SQLException {
        confirmationFlow();
        List<String> unconfirmed = new ArrayList<>();
        for (int i = 0; i < 13; i++) {
            Signup s = fixture.signup(true);
            assertThat(s.synced()).as("no profile before the confirmation").isFalse();
            unconfirmed.add(s.id());
        }
        db.execute("UPDATE auth.users SET created_at = now() - interval '8 days' WHERE id = ANY (ARRAY['"
                + String.join("','", unconfirmed.subList(0, 11)) + "']::uuid[])"); // signed up a week ago
        for (int i = 0; i < 5; i++) {
            Signup s = fixture.signup(true);
            confirm(s.id());
            assertThat(hasProfile(s.id())).as("the incident's shape is real: confirming makes the profile").isTrue();
        }

        JsonNode healthy = check();

        assertThat(healthy.get("priority").asText()).as(healthy.toPrettyString()).isEqualTo("OK");
        assertThat(healthy.at("/snapshot/ghosts/total").asLong()).isZero();
        assertThat(healthy.at("/contract/selects").asText()).isEqualTo("(new.email_confirmed_at IS NOT NULL)");
        assertThat(healthy.at("/contract/agedFrom").asText()).isEqualTo("email_confirmed_at");
        assertThat(healthy.at("/contract/madeOnUpdate").asBoolean()).isTrue();
        assertThat(healthy.at("/contract/writtenBy/0").asText()).isEqualTo("on_auth_user_created");
        assertThat(healthy.at("/contract/leftOutByDesign").asLong()).isEqualTo(13);
        assertThat(healthy.at("/checks/3/passed").asBoolean()).as("an UPDATE trigger is the design").isTrue();
        assertThat(healthy.toString()).doesNotContain("trigger_not_on_insert").doesNotContain("trigger_when_clause");

        // DROP FUNCTION … CASCADE takes the trigger with it; users who confirm now get no profile.
        db.execute("DROP FUNCTION public.handle_new_user() CASCADE");
        List<String> stranded = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Signup s = fixture.signup(true);
            confirm(s.id());
            assertThat(hasProfile(s.id())).as("the incident is real: confirmed, no profile").isFalse();
            stranded.add(s.id());
        }
        confirm(unconfirmed.get(0));
        stranded.add(unconfirmed.get(0));

        JsonNode broken = check();

        assertThat(broken.get("priority").asText()).isEqualTo("P0");
        assertThat(broken.at("/findings/0/code").asText()).isEqualTo("trigger_missing");
        assertThat(broken.at("/snapshot/ghosts/total").asLong()).as("only confirmed users: the contract it had")
                .isEqualTo(4);
        assertThat(broken.at("/contract/leftOutByDesign").asLong()).as("still unconfirmed").isEqualTo(12);
        assertThat(broken.at("/contract/source").asText()).startsWith("signup path as last seen at");
        List<String> sample = new ArrayList<>();
        broken.get("ghostSample").forEach(g -> sample.add(g.get("id").asText()));
        assertThat(sample).containsExactlyInAnyOrderElementsOf(stranded);
    }

    /** An invitation as the auth server makes it: the identity row with invited_at, as the signup role. */
    private String invite() throws SQLException {
        String id = java.util.UUID.randomUUID().toString();
        try (Connection c = db.connectAs(SupabaseFixture.SIGNUP_ROLE, "");
             PreparedStatement st = c.prepareStatement("INSERT INTO auth.users (id, email, invited_at, created_at)"
                     + " VALUES (?::uuid, ?, now() - interval '2 days', now() - interval '2 days')")) {
            st.setString(1, id);
            st.setString(2, "invited-" + id + "@example.com");
            st.executeUpdate();
        }
        return id;
    }

    /**
     * Invited users get their profile when they accept (public projects: the function skips a pending invitation,
     * and the same function runs again on the confirmation that accepting makes): pending ones are left out by
     * design, and with the confirmation trigger dropped only the invitee who accepted is a ghost.
     */
    @Test
    void invitedUsersWhoHaveNotAcceptedAreLeftOutByDesign() throws SQLException {
        db.execute("CREATE OR REPLACE FUNCTION public.handle_new_user() RETURNS trigger LANGUAGE plpgsql"
                        + " SECURITY DEFINER SET search_path = '' AS $$ BEGIN"
                        + " IF NEW.invited_at IS NOT NULL AND NEW.email_confirmed_at IS NULL THEN RETURN NEW; END IF;"
                        + " INSERT INTO public.users (id, email) VALUES (NEW.id, NEW.email) ON CONFLICT (id) DO NOTHING;"
                        + " RETURN NEW; END $$",
                "CREATE TRIGGER on_invite_accepted AFTER UPDATE OF email_confirmed_at ON auth.users FOR EACH ROW"
                        + " WHEN (OLD.email_confirmed_at IS NULL AND NEW.email_confirmed_at IS NOT NULL)"
                        + " EXECUTE FUNCTION public.handle_new_user()");
        List<String> pending = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            pending.add(invite());
            assertThat(hasProfile(pending.get(i))).as("a pending invitation has no profile").isFalse();
        }
        for (int i = 0; i < 2; i++) {
            String accepted = invite();
            confirm(accepted);
            assertThat(hasProfile(accepted)).as("accepting makes the profile").isTrue();
        }
        assertThat(fixture.signup(true).synced()).as("a plain signup gets one at once").isTrue();

        JsonNode healthy = check();

        assertThat(healthy.get("priority").asText()).as(healthy.toPrettyString()).isEqualTo("OK");
        assertThat(healthy.at("/snapshot/ghosts/total").asLong()).isZero();
        assertThat(healthy.at("/contract/leftOutByDesign").asLong()).isEqualTo(6);

        db.execute("DROP TRIGGER on_invite_accepted ON auth.users");
        String stranded = invite();
        confirm(stranded);
        assertThat(hasProfile(stranded)).as("the incident is real: accepting no longer makes a profile").isFalse();

        JsonNode broken = check();

        assertThat(broken.at("/snapshot/ghosts/total").asLong()).as(broken.toPrettyString()).isEqualTo(1);
        assertThat(broken.at("/ghostSample/0/id").asText()).isEqualTo(stranded);
        assertThat(broken.at("/contract/leftOutByDesign").asLong()).as("the pending ones still").isEqualTo(6);
        assertThat(broken.get("priority").asText()).isEqualTo("P0");
    }

    /**
     * A guest's conversion as the auth server makes it: is_anonymous set false, then the e-mail written, one
     * transaction; returns the database's error, or null when it committed.
     */
    private String convert(String id) throws SQLException {
        try (Connection c = db.connectAs(SupabaseFixture.SIGNUP_ROLE, "")) {
            c.setAutoCommit(false);
            try (PreparedStatement permanent = c.prepareStatement("UPDATE auth.users SET is_anonymous = false"
                    + " WHERE id = ?::uuid");
                 PreparedStatement email = c.prepareStatement("UPDATE auth.users SET email = ? WHERE id = ?::uuid")) {
                permanent.setString(1, id);
                permanent.executeUpdate();
                email.setString(1, "kept-" + id + "@example.com");
                email.setString(2, id);
                email.executeUpdate();
                c.commit();
                return null;
            } catch (SQLException e) {
                c.rollback();
                return e.getSQLState() + " " + e.getMessage();
            }
        }
    }

    /** Public projects' upgrade trigger: the profile is written when a guest becomes permanent. */
    @Test
    void aGuestConversionThatWritesTheEmailBeforeItIsSetFailsEveryConversionAndIsNamed() throws SQLException {
        db.execute("ALTER TABLE public.users ALTER COLUMN email SET NOT NULL",
                "CREATE OR REPLACE FUNCTION public.handle_new_user() RETURNS trigger LANGUAGE plpgsql"
                        + " SECURITY DEFINER SET search_path = '' AS $$ BEGIN"
                        + " IF NEW.is_anonymous THEN RETURN NEW; END IF;"
                        + " INSERT INTO public.users (id, email) VALUES (NEW.id, NEW.email); RETURN NEW; END $$",
                "CREATE TRIGGER on_guest_converted AFTER UPDATE OF is_anonymous ON auth.users FOR EACH ROW"
                        + " WHEN (OLD.is_anonymous AND NOT NEW.is_anonymous) EXECUTE FUNCTION public.handle_new_user()");
        String guest = fixture.guestSignIn();
        assertThat(convert(guest)).as("the incident is real: the conversion fails").startsWith("23502");
        assertThat(fixture.signup(true).synced()).as("signups with an e-mail still work").isTrue();

        JsonNode report = check();

        assertThat(report.get("priority").asText()).as(report.toPrettyString()).isEqualTo("P0");
        JsonNode cause = cause(report, "conversion_value_missing");
        assertThat(cause).as(report.at("/snapshot/diagnosis").toPrettyString()).isNotNull();
        assertThat(cause.get("summary").asText()).contains("every guest conversion fails")
                .contains("trigger on_guest_converted").contains("public.users.email");

        db.execute("CREATE OR REPLACE FUNCTION public.handle_new_user() RETURNS trigger LANGUAGE plpgsql"
                + " SECURITY DEFINER SET search_path = '' AS $$ BEGIN"
                + " IF NEW.is_anonymous THEN RETURN NEW; END IF;"
                + " INSERT INTO public.users (id, email) VALUES (NEW.id, coalesce(NEW.email, '')); RETURN NEW; END $$");
        assertThat(convert(guest)).as("the fix it names works").isNull();
        assertThat(check().toString()).doesNotContain("conversion_value_missing");
    }

    @Test
    void guestsTheFunctionSkipsAreLeftOutByDesign() throws SQLException {
        db.execute("CREATE OR REPLACE FUNCTION public.handle_new_user() RETURNS trigger LANGUAGE plpgsql"
                + " SECURITY DEFINER SET search_path = '' AS $$ BEGIN"
                + " IF NEW.is_anonymous THEN RETURN NEW; END IF;"
                + " INSERT INTO public.users (id, email) VALUES (NEW.id, NEW.email); RETURN NEW; END $$");
        for (int i = 0; i < 4; i++) {
            try (Connection c = db.connectAs(SupabaseFixture.SIGNUP_ROLE, "")) {
                c.createStatement().execute("INSERT INTO auth.users (id, is_anonymous, created_at)"
                        + " VALUES (gen_random_uuid(), true, now() - interval '3 days')");
            }
        }
        assertThat(db.queryLong("SELECT count(*) FROM auth.users a WHERE is_anonymous AND NOT EXISTS"
                + " (SELECT 1 FROM public.users p WHERE p.id = a.id)")).as("guests get no profile").isEqualTo(4);
        assertThat(fixture.signup(true).synced()).as("everyone else does").isTrue();

        JsonNode report = check();

        assertThat(report.get("priority").asText()).isEqualTo("OK");
        assertThat(report.at("/contract/selects").asText()).isEqualTo("(NEW.is_anonymous) IS NOT TRUE");
        assertThat(report.at("/contract/leftOutByDesign").asLong()).isEqualTo(4);
        assertThat(report.toString()).doesNotContain("profile_write_conditional");
    }

    /**
     * The function skips guests and nothing makes the profile on conversion (public projects' most common gap):
     * every converted guest becomes a ghost. Those a full scan saw as guests are named as converted guests, through
     * the full scans after it too; a ghost that never was a guest is not.
     */
    @Test
    void convertedGuestsWithoutAProfileAreNamedAsSuch() throws SQLException {
        db.execute("CREATE OR REPLACE FUNCTION public.handle_new_user() RETURNS trigger LANGUAGE plpgsql"
                + " SECURITY DEFINER SET search_path = '' AS $$ BEGIN"
                + " IF NEW.is_anonymous THEN RETURN NEW; END IF;"
                + " INSERT INTO public.users (id, email) VALUES (NEW.id, NEW.email); RETURN NEW; END $$");
        List<String> guests = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            guests.add(fixture.guestSignIn());
        }
        JsonNode before = check();
        assertThat(before.get("priority").asText()).as(before.toPrettyString()).isEqualTo("OK");
        assertThat(before.at("/contract/leftOutByDesign").asLong()).isEqualTo(3);

        assertThat(convert(guests.get(0))).isNull();
        assertThat(convert(guests.get(1))).isNull();
        fixture.ghosts(1, java.time.Duration.ofMinutes(5)); // a ghost that never was a guest
        assertThat(db.queryLong("SELECT count(*) FROM auth.users a WHERE NOT is_anonymous AND NOT EXISTS"
                + " (SELECT 1 FROM public.users p WHERE p.id = a.id)")).as("the incident is real: converted guests"
                + " without a profile").isEqualTo(3);

        JsonNode after = check();

        assertThat(after.at("/snapshot/ghosts/total").asLong()).as(after.toPrettyString()).isEqualTo(3);
        JsonNode converted = io.ghostwatch.testing.Reports.finding(after, "ghosts_converted");
        assertThat(converted).as(after.toPrettyString()).isNotNull();
        assertThat(converted.get("summary").asText()).contains("2 of the 3 ghosts are converted guests");
        assertThat(converted.get("actions").get(0).asText()).contains("AFTER UPDATE");
        assertThat(after.at("/convertedGhosts/count").asLong()).isEqualTo(2);
        List<String> named = new ArrayList<>();
        after.at("/convertedGhosts/sample").forEach(n -> named.add(n.asText()));
        assertThat(named).containsExactlyInAnyOrderElementsOf(guests.subList(0, 2));

        JsonNode rescanned = Ghostwatch.against(db).env("GHOSTWATCH_FULL_SCAN_INTERVAL", "0s")
                .run("check", "--output", "json").json();
        JsonNode again = Ghostwatch.against(db).env("GHOSTWATCH_FULL_SCAN_INTERVAL", "0s")
                .run("check", "--output", "json").json();
        assertThat(rescanned.get("scan").asText()).isEqualTo("full");
        assertThat(again.at("/convertedGhosts/count").asLong()).as("named through the full scans after: "
                + again.toPrettyString()).isEqualTo(2);
    }

    @Test
    void aConditionItCannotWriteInSqlCountsEveryIdentityAndSaysWhy() {
        db.execute("CREATE OR REPLACE FUNCTION public.handle_new_user() RETURNS trigger LANGUAGE plpgsql"
                + " SECURITY DEFINER SET search_path = '' AS $$ BEGIN"
                + " IF NEW.raw_app_meta_data->>'provider' = 'email' THEN"
                + "   INSERT INTO public.users (id, email) VALUES (NEW.id, NEW.email); END IF;"
                + " RETURN NEW; END $$");
        fixture.users(3, java.time.Duration.ofDays(2));
        assertThat(db.queryLong("SELECT count(*) FROM public.users")).as("nobody passes the IF").isZero();

        JsonNode report = check();

        assertThat(report.at("/contract/selects").asText()).isEqualTo("every identity");
        assertThat(report.at("/contract/notApplied").asText()).contains("cannot be written in SQL")
                .contains("JSON metadata");
        assertThat(report.at("/snapshot/ghosts/total").asLong()).isEqualTo(3);
        assertThat(report.toString()).contains("profile_condition_unknown").contains("profile_write_conditional");
    }

    @Test
    void theRunbooksPairReportsAsBeforeWithItsPathShown() {
        fixture.users(5, java.time.Duration.ofDays(1));

        Ghostwatch.Result table = Ghostwatch.against(db).run("check");
        JsonNode report = check();

        assertThat(table.stdout()).doesNotContain("Profile contract:");
        assertThat(report.at("/contract/selects").asText()).isEqualTo("every identity");
        assertThat(report.at("/contract/notApplied").isNull()).isTrue();
        assertThat(report.at("/signupPath/writes/0/table").asText()).isEqualTo("public.users");
        assertThat(report.at("/signupPath/writes/0/keyColumn").asText()).isEqualTo("id");
        Ghostwatch.Result diagnose = Ghostwatch.against(db).run("diagnose");
        assertThat(diagnose.stdout()).contains("Signup path (read from the catalog):")
                .contains("trigger on_auth_user_created: AFTER INSERT -> public.handle_new_user()")
                .contains("INSERT public.users keyed by id from on_auth_user_created, for every identity");
    }

    @Test
    void anUpdateTriggerWhoseFunctionMayNotWriteFailsEverySignupAndIsNamed() {
        assertThat(fixture.signupWithItsUpdate().failed()).as("healthy before").isFalse();
        db.execute("CREATE TABLE public.user_settings (user_id uuid PRIMARY KEY, last_seen timestamptz)",
                "CREATE FUNCTION public.touch_settings() RETURNS trigger LANGUAGE plpgsql SET search_path = ''"
                        + " AS $$ BEGIN INSERT INTO public.user_settings (user_id, last_seen) VALUES (NEW.id, now())"
                        + " ON CONFLICT (user_id) DO UPDATE SET last_seen = excluded.last_seen; RETURN NEW; END $$",
                "CREATE TRIGGER on_auth_user_updated AFTER UPDATE ON auth.users FOR EACH ROW"
                        + " EXECUTE FUNCTION public.touch_settings()");
        assertThat(fixture.signupWithItsUpdate().error()).as("the incident is real: the signup's own update fails")
                .contains("permission denied for table user_settings");

        JsonNode report = check();

        assertThat(report.get("priority").asText()).isEqualTo("P0");
        JsonNode cause = cause(report, "path_write_not_permitted");
        assertThat(cause).as(report.at("/snapshot/diagnosis").toPrettyString()).isNotNull();
        assertThat(cause.get("summary").asText()).contains("trigger on_auth_user_updated")
                .contains("public.touch_settings()").contains("public.user_settings")
                .contains("as " + SupabaseFixture.SIGNUP_ROLE).contains("INSERT, UPDATE, SELECT on public.user_settings")
                .contains("at every sign-in");
        assertThat(cause.get("fix").asText()).contains("GRANT INSERT, UPDATE, SELECT ON \"public\".\"user_settings\""
                + " TO \"supabase_auth_admin\";").contains("SECURITY DEFINER");
        assertThat(report.toString()).contains("cause_path_write_not_permitted");

        db.execute("GRANT INSERT, UPDATE, SELECT ON public.user_settings TO " + SupabaseFixture.SIGNUP_ROLE);
        assertThat(fixture.signupWithItsUpdate().failed()).as("the fix works").isFalse();
        assertThat(check().toString()).doesNotContain("path_write_not_permitted");
    }

    @Test
    void aConfirmationTriggerOfAnotherNameIsTheSyncTriggerAndItsDropIsNamed() throws SQLException {
        db.execute("DROP TRIGGER on_auth_user_created ON auth.users",
                "CREATE TRIGGER on_auth_user_confirmed AFTER UPDATE ON auth.users FOR EACH ROW"
                        + " WHEN (OLD.email_confirmed_at IS NULL AND NEW.email_confirmed_at IS NOT NULL)"
                        + " EXECUTE FUNCTION public.handle_new_user()");
        for (int i = 0; i < 3; i++) {
            assertThat(fixture.signup(true).synced()).isFalse();
        }
        for (int i = 0; i < 2; i++) {
            Signup s = fixture.signup(true);
            confirm(s.id());
            assertThat(hasProfile(s.id())).as("the shape is real: confirming makes the profile").isTrue();
        }

        JsonNode healthy = check();

        assertThat(healthy.get("priority").asText()).as(healthy.toPrettyString()).isEqualTo("OK");
        assertThat(healthy.at("/contract/syncTrigger").asText()).isEqualTo("on_auth_user_confirmed");
        assertThat(healthy.at("/snapshot/trigger/present").asBoolean()).isTrue();
        assertThat(healthy.at("/contract/leftOutByDesign").asLong()).isEqualTo(3);
        assertThat(Ghostwatch.against(db).run("check").stdout()).contains("Sync trigger: on_auth_user_confirmed");

        db.execute("DROP TRIGGER on_auth_user_confirmed ON auth.users");
        Signup stranded = fixture.signup(true);
        confirm(stranded.id());
        assertThat(hasProfile(stranded.id())).as("the incident is real").isFalse();

        JsonNode broken = check();

        assertThat(broken.get("priority").asText()).isEqualTo("P0");
        assertThat(broken.at("/findings/0/code").asText()).isEqualTo("trigger_missing");
        assertThat(broken.at("/findings/0/summary").asText()).contains("on_auth_user_confirmed");
        assertThat(broken.at("/snapshot/ghosts/total").asLong()).isEqualTo(1);
    }
}
