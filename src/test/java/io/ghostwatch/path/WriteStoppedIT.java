package io.ghostwatch.path;

import com.fasterxml.jackson.databind.JsonNode;
import io.ghostwatch.testing.AuthServerDatabaseTest;
import io.ghostwatch.testing.Ghostwatch;
import org.junit.jupiter.api.Test;

import static io.ghostwatch.testing.Reports.finding;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A second table the signup function writes under a condition it reads from another table (public projects'
 * plan or pricing flag): it stops being written for every new user while each signup commits and gets its
 * profile. Proven by real signups as supabase_auth_admin; ghostwatch watches the table's write rate and says so.
 */
class WriteStoppedIT extends AuthServerDatabaseTest {

    private static final int AFTER = 5;

    private JsonNode check() {
        return Ghostwatch.against(db).env("GHOSTWATCH_POLICY_WRITE_STOPPED_AFTER", Integer.toString(AFTER))
                .run("check", "--output", "json").json(0);
    }

    private long subscriptions() {
        return db.queryLong("SELECT count(*) FROM public.user_subscriptions");
    }


    @Test
    void aConditionalSecondWriteThatStoppedIsAFindingAndClearsWhenItIsWrittenAgain() {
        db.execute("CREATE TABLE public.pricing_flags (free_trial boolean NOT NULL)",
                "INSERT INTO public.pricing_flags VALUES (true)",
                "CREATE TABLE public.user_subscriptions (user_id uuid PRIMARY KEY, plan text NOT NULL)",
                "CREATE OR REPLACE FUNCTION public.handle_new_user() RETURNS trigger LANGUAGE plpgsql"
                        + " SECURITY DEFINER SET search_path = '' AS $$ BEGIN"
                        + " INSERT INTO public.users (id, email) VALUES (NEW.id, NEW.email);"
                        + " IF (SELECT free_trial FROM public.pricing_flags) THEN"
                        + "   INSERT INTO public.user_subscriptions (user_id, plan) VALUES (NEW.id, 'trial');"
                        + " END IF;"
                        + " RETURN NEW; END $$");
        long counted = fixture.identityInsertsCounted();
        JsonNode first = check();
        assertThat(first.at("/pathWrites/0/table").asText()).as(first.toPrettyString())
                .isEqualTo("public.user_subscriptions");
        assertThat(first.at("/pathWrites/0/signupsSinceWrite").isNull()).as("nothing to compare with yet").isTrue();

        for (int i = 0; i < 3; i++) {
            assertThat(fixture.signup(true).synced()).isTrue();
        }
        assertThat(subscriptions()).as("written while the flag holds").isEqualTo(3);
        fixture.awaitIdentityInsertsCounted(counted + 3);
        JsonNode written = check();
        assertThat(written.at("/pathWrites/0/signupsSinceWrite").asLong()).as(written.toPrettyString()).isZero();
        assertThat(finding(written, "path_write_stopped")).isNull();

        db.execute("UPDATE public.pricing_flags SET free_trial = false"); // the flag a release flipped
        for (int i = 0; i < AFTER + 1; i++) {
            assertThat(fixture.signup(true).synced()).as("signups commit and get their profile").isTrue();
        }
        assertThat(subscriptions()).as("the incident is real: new users get no subscription").isEqualTo(3);
        fixture.awaitIdentityInsertsCounted(counted + 3 + AFTER + 1);

        JsonNode stopped = check();

        JsonNode f = finding(stopped, "path_write_stopped");
        assertThat(f).as(stopped.toPrettyString()).isNotNull();
        assertThat(f.get("priority").asText()).isEqualTo("P2");
        assertThat(f.get("summary").asText()).contains("public.user_subscriptions")
                .contains("in the last " + (AFTER + 1) + " signups");
        assertThat(stopped.at("/snapshot/ghosts/total").asLong()).as("no ghost: the profile is made").isZero();

        db.execute("UPDATE public.pricing_flags SET free_trial = true");
        assertThat(fixture.signup(true).synced()).isTrue();
        fixture.awaitIdentityInsertsCounted(counted + 3 + AFTER + 2);
        assertThat(subscriptions()).isEqualTo(4);

        JsonNode again = check();

        assertThat(finding(again, "path_write_stopped")).as(again.toPrettyString()).isNull();
        assertThat(again.at("/pathWrites/0/signupsSinceWrite").asLong()).isZero();
    }

    /**
     * The write every signup makes, its error swallowed by an exception handler (public projects add one so that
     * a failing side table never blocks a signup): a column added without a default makes it fail for everyone.
     */
    @Test
    void anUnconditionalWriteWhoseErrorIsSwallowedStoppingIsP0() {
        db.execute("CREATE TABLE public.user_settings (user_id uuid PRIMARY KEY, theme text NOT NULL DEFAULT 'light')",
                "CREATE OR REPLACE FUNCTION public.handle_new_user() RETURNS trigger LANGUAGE plpgsql"
                        + " SECURITY DEFINER SET search_path = '' AS $$ BEGIN"
                        + " INSERT INTO public.users (id, email) VALUES (NEW.id, NEW.email);"
                        + " BEGIN"
                        + "   INSERT INTO public.user_settings (user_id) VALUES (NEW.id);"
                        + " EXCEPTION WHEN others THEN RAISE WARNING 'settings not created: %', SQLERRM;"
                        + " END;"
                        + " RETURN NEW; END $$");
        long counted = fixture.identityInsertsCounted();
        check();
        assertThat(fixture.signup(true).synced()).isTrue();
        fixture.awaitIdentityInsertsCounted(counted + 1);
        check();

        // A migration's slip: the existing rows got a value, the default was dropped, new rows have none.
        db.execute("ALTER TABLE public.user_settings ADD COLUMN locale text NOT NULL DEFAULT 'en'",
                "ALTER TABLE public.user_settings ALTER COLUMN locale DROP DEFAULT");
        for (int i = 0; i < AFTER; i++) {
            assertThat(fixture.signup(true).synced()).as("signups commit and get their profile").isTrue();
        }
        assertThat(db.queryLong("SELECT count(*) FROM public.user_settings"))
                .as("the incident is real: the error is swallowed and no settings row is made").isEqualTo(1);
        fixture.awaitIdentityInsertsCounted(counted + 1 + AFTER);

        JsonNode stopped = check();

        JsonNode f = finding(stopped, "path_write_stopped");
        assertThat(f).as(stopped.toPrettyString()).isNotNull();
        assertThat(f.get("priority").asText()).isEqualTo("P0");
        assertThat(f.get("summary").asText()).contains("public.user_settings").contains("for every identity");
        assertThat(stopped.get("priority").asText()).isEqualTo("P0");
    }
}
