package io.ghostwatch.diagnose;

import com.fasterxml.jackson.databind.JsonNode;
import io.ghostwatch.testing.AuthServerDatabaseTest;
import io.ghostwatch.testing.Ghostwatch;
import io.ghostwatch.testing.SupabaseFixture.Signup;
import org.junit.jupiter.api.Test;

import static io.ghostwatch.testing.Reports.finding;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Causes read from the signup path's function text against the catalog, with the canary off (the default): each
 * incident rebuilt from public projects, proven by a real signup as supabase_auth_admin first, then named by the
 * check; the healthy shape names nothing.
 */
class PathCausesIT extends AuthServerDatabaseTest {

    private JsonNode check() {
        return Ghostwatch.against(db).run("check", "--output", "json").json(0);
    }


    /** A migration renamed the role 'member' to 'user'; the signup function still casts the old literal. */
    @Test
    void anEnumLiteralTheEnumNoLongerHasFailsEverySignupAndIsNamedFromTheCatalog() {
        db.execute("CREATE TYPE public.app_role AS ENUM ('admin', 'user')",
                "CREATE TABLE public.user_roles (user_id uuid PRIMARY KEY, role public.app_role NOT NULL)",
                "CREATE OR REPLACE FUNCTION public.handle_new_user() RETURNS trigger LANGUAGE plpgsql"
                        + " SECURITY DEFINER SET search_path = public AS $$ BEGIN"
                        + " INSERT INTO users (id, email) VALUES (NEW.id, NEW.email);"
                        + " INSERT INTO user_roles (user_id, role) VALUES (NEW.id, 'member'::app_role);"
                        + " RETURN NEW; END $$");
        Signup s = fixture.signup(true);
        assertThat(s.failed()).as("the incident is real: every signup fails").isTrue();
        assertThat(s.error()).contains("invalid input value for enum app_role");

        JsonNode report = check();

        JsonNode cause = finding(report, "cause_enum_literal_missing");
        assertThat(cause).as(report.toPrettyString()).isNotNull();
        assertThat(cause.get("priority").asText()).isEqualTo("P0");
        assertThat(cause.get("summary").asText()).contains("public.handle_new_user()")
                .contains("casts 'member' to public.app_role").contains("its values: admin, user");

        db.execute("ALTER TYPE public.app_role ADD VALUE 'member'");
        assertThat(fixture.signup(true).synced()).as("signups work again").isTrue();
        assertThat(check().toString()).doesNotContain("enum_literal_missing");
    }

    /**
     * A call the text shows but real signups never make (a branch behind a feature flag that is off): the catalog
     * alone says every signup fails; the signup counters show them committing, so it is not paged, and the report
     * says which evidence disagrees.
     */
    @Test
    void aCatalogCauseTheCommittingSignupsContradictIsNotP0() {
        db.execute("CREATE SCHEMA extensions",
                "CREATE FUNCTION extensions.slugify(t text) RETURNS text LANGUAGE sql AS 'SELECT lower(t)'",
                "CREATE TABLE public.flags (slugs boolean NOT NULL)", "INSERT INTO public.flags VALUES (false)",
                "CREATE OR REPLACE FUNCTION public.handle_new_user() RETURNS trigger LANGUAGE plpgsql"
                        + " SECURITY DEFINER SET search_path = '' AS $$ BEGIN"
                        + " INSERT INTO public.users (id, email) VALUES (NEW.id, NEW.email);"
                        + " IF (SELECT slugs FROM public.flags) THEN PERFORM slugify(NEW.email); END IF;"
                        + " RETURN NEW; END $$");
        long counted = fixture.identityInsertsCounted();
        JsonNode first = check();
        assertThat(finding(first, "cause_function_call_unresolved")).as("the catalog's reading: "
                + first.toPrettyString()).isNotNull();
        for (int i = 0; i < 2; i++) {
            assertThat(fixture.signup(true).synced()).as("real signups commit").isTrue();
        }
        fixture.awaitIdentityInsertsCounted(counted + 2);

        JsonNode report = check();

        JsonNode cause = finding(report, "cause_function_call_unresolved");
        assertThat(cause.get("priority").asText()).as(report.toPrettyString()).isEqualTo("P2");
        assertThat(cause.get("summary").asText()).contains("2 signup(s) committed since the last check");
        assertThat(report.get("priority").asText()).isEqualTo("P2");
    }
}
