package io.ghostwatch.diagnose;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading handlers and write targets out of PL/pgSQL text. No database. */
class PlpgsqlTextTest {

    private static List<PlpgsqlText.Handler> handlers(String body) {
        return PlpgsqlText.of(body).handlers();
    }

    @ParameterizedTest(name = "RAISE {0} swallows")
    @ValueSource(strings = {"WARNING", "LOG", "NOTICE", "INFO", "DEBUG", "warning"})
    void aRaiseBelowExceptionSwallowsTheError(String level) {
        List<PlpgsqlText.Handler> h = handlers("BEGIN INSERT INTO public.users (id) VALUES (NEW.id); RETURN NEW;"
                + " EXCEPTION WHEN OTHERS THEN RAISE " + level + " 'failed: %', SQLERRM; RETURN NEW; END");

        assertThat(h).singleElement().satisfies(x -> {
            assertThat(x.reraises()).isFalse();
            assertThat(x.conditions()).isEqualTo("OTHERS");
            assertThat(x.raises()).containsExactly("RAISE " + level.toUpperCase());
        });
    }

    @ParameterizedTest(name = "{0} re-raises")
    @ValueSource(strings = {"RAISE;", "RAISE EXCEPTION 'x';", "RAISE 'profile failed: %', SQLERRM;",
            "RAISE SQLSTATE '23505';", "RAISE USING MESSAGE = 'x';", "RAISE unique_violation;",
            "RAISE WARNING 'x'; RAISE;"})
    void raisesAtExceptionLevelReRaise(String raise) {
        assertThat(handlers("BEGIN INSERT INTO public.users (id) VALUES (NEW.id); RETURN NEW; EXCEPTION WHEN"
                + " OTHERS THEN " + raise + " END")).singleElement()
                .satisfies(x -> assertThat(x.reraises()).isTrue());
    }

    @Test
    void aNestedBlocksHandlerIsReadAndTheFunctionLevelOneToo() {
        List<PlpgsqlText.Handler> h = handlers("BEGIN BEGIN INSERT INTO public.users (id) VALUES (NEW.id);"
                + " EXCEPTION WHEN unique_violation THEN NULL; END; IF NEW.email IS NULL THEN RETURN NEW; END IF;"
                + " RETURN NEW; EXCEPTION WHEN OTHERS THEN CASE WHEN true THEN RAISE; END CASE; END");

        assertThat(h).extracting(PlpgsqlText.Handler::conditions).containsExactly("UNIQUE_VIOLATION", "OTHERS");
        assertThat(h).extracting(PlpgsqlText.Handler::reraises).containsExactly(false, true);
    }

    @Test
    void severalHandlersOfOneSectionAreToldApart() {
        List<PlpgsqlText.Handler> h = handlers("BEGIN INSERT INTO t VALUES (1); EXCEPTION"
                + " WHEN unique_violation OR foreign_key_violation THEN RAISE NOTICE 'dup';"
                + " WHEN OTHERS THEN RAISE; END");

        assertThat(h).extracting(PlpgsqlText.Handler::conditions)
                .containsExactly("UNIQUE_VIOLATION OR FOREIGN_KEY_VIOLATION", "OTHERS");
        assertThat(h).extracting(PlpgsqlText.Handler::reraises).containsExactly(false, true);
    }

    @Test
    void textInsideStringsAndCommentsIsNotCode() {
        PlpgsqlText text = PlpgsqlText.of("BEGIN -- EXCEPTION WHEN OTHERS THEN NULL\n"
                + " /* INSERT INTO public.ghosts */ EXECUTE 'INSERT INTO public.dynamic VALUES (1)';"
                + " PERFORM $x$ EXCEPTION WHEN OTHERS THEN $x$; RETURN NEW; END");

        assertThat(text.handlers()).isEmpty();
        assertThat(text.writeTargets()).isEmpty();
    }

    @Test
    void writeTargetsAreReadQualifiedOrNotAndQuotedNamesKeepTheirCase() {
        List<PlpgsqlText.Target> targets = PlpgsqlText.of("BEGIN INSERT INTO users (id) VALUES (NEW.id)"
                + " ON CONFLICT (id) DO UPDATE SET email = EXCLUDED.email;"
                + " INSERT INTO \"App\".\"Profiles\" AS p (id) VALUES (NEW.id);"
                + " UPDATE public.stats s SET n = n + 1; RETURN NEW; END").writeTargets();

        assertThat(targets).containsExactly(
                new PlpgsqlText.Target("INSERT INTO", Optional.empty(), "users"),
                new PlpgsqlText.Target("INSERT INTO", Optional.of("App"), "Profiles"),
                new PlpgsqlText.Target("UPDATE", Optional.of("public"), "stats"));
    }

    @Test
    void searchPathsAreReadAsPostgresqlReadsThem() {
        assertThat(EffectivePath.schemas("\"$user\", public", Optional.of("supabase_auth_admin")))
                .containsExactly("supabase_auth_admin", "public");
        assertThat(EffectivePath.schemas("\"\"", Optional.empty())).isEmpty();
        assertThat(EffectivePath.schemas("Auth, \"MixedCase\"", Optional.empty()))
                .containsExactly("auth", "MixedCase");
    }

    @Test
    void aHandlerGuardsAWriteOnlyWhenItsBlockWritesOrTheFunctionWritesNowhereElse() {
        List<PlpgsqlText.Handler> webhook = handlers("BEGIN INSERT INTO public.users (id) VALUES (NEW.id);"
                + " BEGIN PERFORM net.http_post('https://hooks'); EXCEPTION WHEN OTHERS THEN"
                + " RAISE WARNING 'hook: %', SQLERRM; END; RETURN NEW; END");
        List<PlpgsqlText.Handler> around = handlers("BEGIN BEGIN INSERT INTO public.users (id) VALUES (NEW.id);"
                + " EXCEPTION WHEN OTHERS THEN RAISE WARNING 'x'; END; RETURN NEW; END");
        List<PlpgsqlText.Handler> delegated = handlers("BEGIN PERFORM public.create_profile(NEW.id); RETURN NEW;"
                + " EXCEPTION WHEN OTHERS THEN RETURN NEW; END");
        List<PlpgsqlText.Handler> afterCase = handlers("BEGIN INSERT INTO public.users (id) VALUES (NEW.id);"
                + " BEGIN PERFORM CASE WHEN NEW.email IS NULL THEN 1 ELSE 2 END; EXCEPTION WHEN OTHERS THEN NULL; END;"
                + " RETURN NEW; END");

        assertThat(webhook).singleElement().satisfies(h -> assertThat(h.guardsWrite()).isFalse());
        assertThat(around).singleElement().satisfies(h -> assertThat(h.guardsWrite()).isTrue());
        assertThat(delegated).singleElement().as("the write may be in the function it calls")
                .satisfies(h -> assertThat(h.guardsWrite()).isTrue());
        assertThat(afterCase).singleElement().as("a CASE's END does not end the block early")
                .satisfies(h -> assertThat(h.guardsWrite()).isFalse());
    }

    @Test
    void callsAreReadWithTheirArgumentCountAndTablesAndTypeModifiersAreNot() {
        List<PlpgsqlText.Call> calls = PlpgsqlText.of("BEGIN INSERT INTO public.users (id, handle, score)"
                + " VALUES (NEW.id, slugify(NEW.email), extensions.rank(NEW.id, 2, round(1.5)));"
                + " PERFORM now(); x := COALESCE(NULL, 1)::numeric(10, 2); y := NEW.raw->>'a';"
                + " EXECUTE 'select secret(1)'; RETURN NEW; END").calls();

        assertThat(calls).extracting(PlpgsqlText.Call::written).containsExactly("slugify(1 argument)",
                "extensions.rank(3 arguments)", "round(1 argument)", "now(0 arguments)");
    }

    @Test
    void insertColumnListsAreReadAndValuesAreNotColumns() {
        List<PlpgsqlText.InsertColumns> inserts = PlpgsqlText.of("BEGIN INSERT INTO public.profiles AS p"
                + " (id, \"Full Name\", AVATAR_URL) VALUES (NEW.id, 'x', 'y'); INSERT INTO audit VALUES (1);"
                + " INSERT INTO public.log SELECT 1; RETURN NEW; END").insertColumns();

        assertThat(inserts).singleElement().satisfies(i -> {
            assertThat(i.target().written()).isEqualTo("public.profiles");
            assertThat(i.columns()).containsExactly("id", "Full Name", "avatar_url");
        });
    }

    @Test
    void anIfOnTheNewRowAroundTheOnlyWriteIsAGuardedWrite() {
        assertThat(PlpgsqlText.of("BEGIN IF NEW.raw_app_meta_data->>'provider' = 'email' THEN INSERT INTO"
                + " public.users (id) VALUES (NEW.id); END IF; RETURN NEW; END").guardedWrites())
                .singleElement()
                .satisfies(g -> assertThat(g.condition()).isEqualTo("NEW.raw_app_meta_data ->> 's' = 's'"));
        assertThat(PlpgsqlText.of("BEGIN IF NEW.email IS NULL THEN INSERT INTO public.users (id) VALUES (NEW.id);"
                + " ELSE INSERT INTO public.users (id, email) VALUES (NEW.id, NEW.email); END IF; RETURN NEW; END")
                .guardedWrites()).as("every branch writes").isEmpty();
        assertThat(PlpgsqlText.of("BEGIN IF TG_OP = 'INSERT' THEN INSERT INTO public.users (id) VALUES (NEW.id);"
                + " END IF; RETURN NEW; END").guardedWrites()).as("a condition not on the new row").isEmpty();
        assertThat(PlpgsqlText.of("BEGIN IF NEW.email IS NULL THEN RETURN NEW; END IF; INSERT INTO public.users"
                + " (id) VALUES (NEW.id); RETURN NEW; END").guardedWrites())
                .as("a guard that writes nothing").isEmpty();
    }
}
