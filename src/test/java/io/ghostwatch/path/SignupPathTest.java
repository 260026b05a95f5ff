package io.ghostwatch.path;

import io.ghostwatch.sql.QualifiedName;
import io.ghostwatch.testing.AuthServerDatabaseTest;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The signup path read from a real catalog, for shapes of public Supabase projects: the starter pair, a profile
 * made on e-mail confirmation, guests skipped, one function writing several tables, a second function it calls.
 * Each shape is proven first by signups as the auth server makes them.
 */
class SignupPathTest extends AuthServerDatabaseTest {

    private SignupPath path() throws SQLException {
        try (Connection c = db.connect()) {
            return SignupPath.read(c, QualifiedName.parse("auth.users"), "id");
        }
    }

    private Optional<ContractSelection> profiles() throws SQLException {
        return ContractSelection.of(path(), "public", "users");
    }

    @Test
    void theRunbooksPairIsOneInsertTriggerWritingEveryIdentitysProfileKeyedById() throws SQLException {
        assertThat(fixture.signup(true).synced()).isTrue();

        SignupPath p = path();

        assertThat(p.triggers()).singleElement().satisfies(t -> {
            assertThat(t.name()).isEqualTo("on_auth_user_created");
            assertThat(t.events()).containsExactly("INSERT");
            assertThat(t.timing()).isEqualTo("AFTER");
            assertThat(t.function()).isEqualTo("public.handle_new_user()");
        });
        assertThat(p.writes()).singleElement().satisfies(w -> {
            assertThat(w.where()).isEqualTo("public.users");
            assertThat(w.keyColumn()).contains("id");
            assertThat(w.condition().always()).isTrue();
        });
        assertThat(p.notes()).isEmpty();
        assertThat(profiles()).hasValueSatisfying(s -> {
            assertThat(s.condition().always()).isTrue();
            assertThat(s.onUpdate()).isFalse();
        });
    }

    /** Public projects' confirmation flow: the profile is made when the e-mail is first confirmed. */
    @Test
    void aProfileMadeOnConfirmationSelectsConfirmedIdentitiesAgedFromTheConfirmation() throws SQLException {
        db.execute("DROP TRIGGER on_auth_user_created ON auth.users",
                "CREATE TRIGGER on_auth_user_confirmed AFTER UPDATE ON auth.users FOR EACH ROW"
                        + " WHEN (OLD.email_confirmed_at IS NULL AND NEW.email_confirmed_at IS NOT NULL)"
                        + " EXECUTE FUNCTION public.handle_new_user()");
        var signup = fixture.signup(true);
        assertThat(signup.synced()).as("the incident's shape is real: no profile at signup").isFalse();
        db.execute("UPDATE auth.users SET email_confirmed_at = now() WHERE id = '" + signup.id() + "'");
        assertThat(db.queryLong("SELECT count(*) FROM public.users WHERE id = ?::uuid", signup.id()))
                .as("the confirmation makes it").isEqualTo(1);

        ContractSelection s = profiles().orElseThrow();

        assertThat(s.condition().text()).isEqualTo("(new.email_confirmed_at IS NOT NULL)");
        assertThat(s.condition().sqlFor("i")).contains("(i.\"email_confirmed_at\" IS NOT NULL)");
        assertThat(s.agedFrom()).contains("email_confirmed_at");
        assertThat(s.onUpdate()).isTrue();
        assertThat(s.triggers()).containsExactly("on_auth_user_confirmed");
    }

    @Test
    void guestsSkippedByAnEarlyReturnAreOutsideTheContract() throws SQLException {
        db.execute("CREATE OR REPLACE FUNCTION public.handle_new_user() RETURNS trigger LANGUAGE plpgsql"
                + " SECURITY DEFINER SET search_path = '' AS $$ BEGIN"
                + " IF NEW.is_anonymous THEN RETURN NEW; END IF;"
                + " INSERT INTO public.users (id, email) VALUES (NEW.id, NEW.email); RETURN NEW; END $$");

        ContractSelection s = profiles().orElseThrow();

        assertThat(s.condition().sqlFor("i")).contains("(i.\"is_anonymous\" IS NOT TRUE)");
        assertThat(s.agedFrom()).isEmpty();
        assertThat(s.onUpdate()).isFalse();
    }

    @Test
    void oneFunctionWritingSeveralTablesAndAFunctionItCallsEachGiveTheirKeyColumn() throws SQLException {
        db.execute("CREATE TABLE public.user_roles (user_id uuid PRIMARY KEY, role text NOT NULL)",
                "CREATE TABLE public.workspaces (owner uuid PRIMARY KEY, name text)",
                "CREATE TABLE public.subscriptions (user_id uuid PRIMARY KEY, plan text)",
                "CREATE FUNCTION public.create_workspace(owner_id uuid, label text) RETURNS void LANGUAGE plpgsql"
                        + " SET search_path = public AS $$ BEGIN"
                        + " INSERT INTO workspaces (owner, name) VALUES (owner_id, label); END $$",
                "CREATE OR REPLACE FUNCTION public.handle_new_user() RETURNS trigger LANGUAGE plpgsql"
                        + " SECURITY DEFINER SET search_path = public AS $$ BEGIN"
                        + " INSERT INTO users (id, email) VALUES (NEW.id, NEW.email);"
                        + " INSERT INTO user_roles (user_id, role) VALUES (NEW.id, 'member');"
                        + " IF NEW.raw_user_meta_data->>'plan' = 'pro' THEN"
                        + "   INSERT INTO subscriptions (user_id, plan) VALUES (NEW.id, 'pro'); END IF;"
                        + " PERFORM create_workspace(NEW.id, 'home'); RETURN NEW; END $$");
        assertThat(fixture.signup(true).synced()).isTrue();
        assertThat(db.queryLong("SELECT count(*) FROM public.workspaces")).as("the call writes too").isEqualTo(1);

        SignupPath p = path();

        assertThat(p.writes()).extracting(PathWrite::where).containsExactly("public.users", "public.user_roles",
                "public.subscriptions", "public.workspaces");
        assertThat(p.writes()).extracting(w -> w.keyColumn().orElse("?")).containsExactly("id", "user_id",
                "user_id", "owner");
        PathWrite subscription = p.writes().get(2);
        assertThat(subscription.condition().translatable()).isFalse();
        assertThat(subscription.condition().untranslatable()).contains("it reads the identity's JSON metadata (->, ->>)");
        assertThat(p.writes().get(3).via()).containsExactly("public.handle_new_user()",
                "public.create_workspace(uuid, text)");
        assertThat(profiles()).hasValueSatisfying(s -> assertThat(s.condition().always()).isTrue());
    }

    @Test
    void aFunctionInAnotherLanguageIsSaidNotRead() throws SQLException {
        db.execute("CREATE FUNCTION public.sql_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END"
                        + " $$",
                "CREATE TRIGGER on_auth_user_logged AFTER INSERT ON auth.users FOR EACH ROW"
                        + " EXECUTE FUNCTION public.sql_sync()");
        fixture.users(1, Duration.ofMinutes(1));

        SignupPath p = path();

        assertThat(p.triggers()).extracting(PathTrigger::name).containsExactly("on_auth_user_created",
                "on_auth_user_logged");
        assertThat(p.writes()).hasSize(1);
    }
}
