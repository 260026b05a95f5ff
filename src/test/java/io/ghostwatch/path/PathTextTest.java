package io.ghostwatch.path;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The signup path's reading of function text: writes, their key column and the condition they sit under. */
class PathTextTest {

    private static final Set<String> COLUMNS = Set.of("id", "email", "email_confirmed_at", "is_anonymous",
            "raw_user_meta_data", "invited_at", "created_at");

    private static PathText.Reading read(String body) {
        return PathText.read(body, COLUMNS, "id");
    }

    @Test
    void theStarterFunctionWritesItsProfileKeyedByIdForEveryIdentity() {
        PathText.Reading r = read("""
                begin
                  insert into public.profiles (id, full_name, avatar_url)
                  values (new.id, new.raw_user_meta_data->>'full_name', new.raw_user_meta_data->>'avatar_url');
                  return new;
                end;""");

        assertThat(r.writes()).singleElement().satisfies(w -> {
            assertThat(w.verb()).isEqualTo("INSERT");
            assertThat(w.schema()).contains("public");
            assertThat(w.table()).isEqualTo("profiles");
            assertThat(w.keyColumn()).contains("id");
            assertThat(w.guard().always()).isTrue();
        });
    }

    @Test
    void twoTablesOneUnderAnIfOnTheNewRowAndAnUpsertKeyedByUserId() {
        PathText.Reading r = read("""
                BEGIN
                  INSERT INTO profiles (id, email) VALUES (NEW.id, NEW.email)
                    ON CONFLICT (id) DO UPDATE SET email = excluded.email;
                  IF NEW.email_confirmed_at IS NOT NULL THEN
                    INSERT INTO user_settings (user_id, theme) VALUES (NEW.id, 'dark');
                  END IF;
                  RETURN NEW;
                END""");

        assertThat(r.writes()).hasSize(2);
        assertThat(r.writes().get(0).verb()).isEqualTo("UPSERT");
        PathText.Write settings = r.writes().get(1);
        assertThat(settings.table()).isEqualTo("user_settings");
        assertThat(settings.keyColumn()).contains("user_id");
        assertThat(settings.guard().text()).isEqualTo("NEW.email_confirmed_at IS NOT NULL");
        assertThat(settings.guard().sqlFor("i")).contains("(i.\"email_confirmed_at\" IS NOT NULL)");
    }

    @Test
    void anEarlyReturnForGuestsGuardsEverythingAfterIt() {
        PathText.Reading r = read("""
                BEGIN
                  IF NEW.is_anonymous THEN
                    RETURN NEW;
                  END IF;
                  INSERT INTO public.profiles (id) VALUES (NEW.id);
                  RETURN NEW;
                END""");

        Condition guard = r.writes().get(0).guard();
        assertThat(guard.text()).isEqualTo("(NEW.is_anonymous) IS NOT TRUE");
        assertThat(guard.sqlFor("i")).contains("(i.\"is_anonymous\" IS NOT TRUE)");
        assertThat(PredicateReader.translate(PathText.tokens(guard.text()), COLUMNS, false).sql())
                .as("read again from its text, the same SQL").isEqualTo(guard.sql());
    }

    @Test
    void anElseBranchIsTheNegationAndAnUnreachableWriteIsNotAWrite() {
        PathText.Reading r = read("""
                BEGIN
                  IF coalesce(NEW.is_anonymous, false) THEN
                    INSERT INTO guests (id) VALUES (NEW.id);
                  ELSE
                    INSERT INTO profiles (id) VALUES (NEW.id);
                  END IF;
                  RETURN NEW;
                  INSERT INTO never (id) VALUES (NEW.id);
                END""");

        assertThat(r.writes()).extracting(PathText.Write::table).containsExactly("guests", "profiles");
        assertThat(r.writes().get(1).guard().sqlFor("i"))
                .contains("(coalesce(i.\"is_anonymous\", false) IS NOT TRUE)");
    }

    @Test
    void conditionsItCannotWriteInSqlSaySo() {
        PathText.Reading r = read("""
                BEGIN
                  IF NEW.raw_user_meta_data->>'plan' = 'pro' THEN
                    INSERT INTO subscriptions (user_id) VALUES (NEW.id);
                  END IF;
                  BEGIN
                    INSERT INTO audit (user_id) VALUES (NEW.id);
                  EXCEPTION WHEN others THEN
                    INSERT INTO failures (user_id) VALUES (NEW.id);
                  END;
                  RETURN NEW;
                END""");

        assertThat(r.writes()).extracting(PathText.Write::table).containsExactly("subscriptions", "audit",
                "failures");
        assertThat(r.writes().get(0).guard().translatable()).isFalse();
        assertThat(r.writes().get(0).guard().untranslatable()).isPresent();
        assertThat(r.writes().get(1).guard().always()).as("the block itself runs for every identity").isTrue();
        assertThat(r.writes().get(2).guard().untranslatable()).contains("it runs only in an exception handler");
    }

    @Test
    void anUpdateKeyedByTheIdAndACallThatPassesIt() {
        PathText.Reading r = read("""
                BEGIN
                  UPDATE public.profiles p SET email = NEW.email WHERE p.id = NEW.id;
                  PERFORM public.create_workspace(NEW.email, NEW.id);
                  SELECT count(*) INTO n FROM public.profiles FOR UPDATE;
                  RETURN NEW;
                END""");

        assertThat(r.writes()).singleElement().satisfies(w -> {
            assertThat(w.verb()).isEqualTo("UPDATE");
            assertThat(w.keyColumn()).contains("id");
        });
        assertThat(r.calls()).extracting(PathText.Call::name).contains("create_workspace", "count");
        PathText.Call workspace = r.calls().get(0);
        assertThat(workspace.schema()).contains("public");
        assertThat(workspace.arguments()).isEqualTo(2);
        assertThat(workspace.idArgument()).contains(1);
    }

    @Test
    void stringLiteralsAndCommentsAreNeverReadAsCode() {
        PathText.Reading r = read("""
                BEGIN
                  -- INSERT INTO commented (id) VALUES (NEW.id);
                  EXECUTE 'INSERT INTO dynamic (id) VALUES ($1)' USING NEW.id;
                  RETURN NEW;
                END""");

        assertThat(r.writes()).isEmpty();
    }

    @Test
    void theConfirmationTriggersWhenSelectsConfirmedIdentities() {
        Condition c = PredicateReader.translate(PathText.tokens(
                "(old.email_confirmed_at IS NULL) AND (new.email_confirmed_at IS NOT NULL)"), COLUMNS, true);

        assertThat(c.text()).isEqualTo("(new.email_confirmed_at IS NOT NULL)");
        assertThat(c.sqlFor("u")).contains("(u.\"email_confirmed_at\" IS NOT NULL)");
        assertThat(PredicateReader.translate(PathText.tokens("OLD.email IS DISTINCT FROM NEW.email"), COLUMNS, true)
                .translatable()).as("only when it fires, not whom it reaches").isFalse();
        assertThat(PredicateReader.translate(PathText.tokens("NEW.phone IS NOT NULL"), COLUMNS, false)
                .untranslatable()).contains("NEW.phone is not a column of the identity table");
        assertThat(PredicateReader.translate(PathText.tokens("NEW.is_anonymous = false OR NEW.email IS NULL"),
                COLUMNS, false).sqlFor("i")).isEqualTo(Optional.of(
                "((i.\"is_anonymous\" = false) OR (i.\"email\" IS NULL))"));
        assertThat(PredicateReader.translate(List.of(), COLUMNS, false).always()).isTrue();
    }

    private static PathText.Reading readFor(String event, String body) {
        return PathText.read(body, COLUMNS, "id", false, Optional.empty(), Optional.of(event));
    }

    /** One function for INSERT, UPDATE and DELETE, as public projects write it: TG_OP decides the branch. */
    private static final String SHARED = """
            begin
              if TG_OP = 'DELETE' then
                delete from public.profiles where id = old.id;
                return old;
              end if;
              if tg_op in ('INSERT', 'UPDATE') then
                insert into public.profiles (id) values (new.id) on conflict (id) do nothing;
              end if;
              return new;
            end;""";

    @Test
    void testsOfTgOpAreConstantsOnceTheEventIsKnown() {
        PathText.Reading delete = readFor("DELETE", SHARED);
        assertThat(delete.writes()).as("the INSERT branch is never taken for a delete").isEmpty();
        assertThat(delete.returns()).singleElement().satisfies(r -> {
            assertThat(r.value()).isEqualTo("OLD");
            assertThat(r.guard().always()).isTrue();
        });

        PathText.Reading insert = readFor("INSERT", SHARED);
        assertThat(insert.writes()).singleElement().satisfies(w -> {
            assertThat(w.table()).isEqualTo("profiles");
            assertThat(w.guard().always()).as("tg_op in ('INSERT', 'UPDATE') holds on INSERT").isTrue();
        });
        assertThat(insert.returns()).extracting(PathText.Return::value).containsExactly("NEW");

        PathText.Reading unknown = read(SHARED);
        assertThat(unknown.writes()).singleElement().satisfies(w -> assertThat(w.guard().untranslatable())
                .hasValueSatisfying(why -> assertThat(why).contains("TG_OP")));
    }

    /** The slip NASA-AMMOS/plandev#1631 fixed: a BEFORE DELETE function ending in RETURN NEW cancels every delete. */
    @Test
    void aDeleteFunctionThatReturnsNewOrNullUnderAConditionOnTheOldRow() {
        PathText.Reading slip = readFor("DELETE", """
                begin
                  delete from public.profiles where id = old.id;
                  return new;
                end;""");
        assertThat(slip.returns()).singleElement().satisfies(r -> {
            assertThat(r.value()).isEqualTo("NEW");
            assertThat(r.guard().always()).isTrue();
        });

        PathText.Reading guarded = readFor("DELETE", """
                begin
                  if old.is_anonymous is not true then
                    return null; -- keep real accounts
                  end if;
                  return old;
                end;""");
        assertThat(guarded.returns()).hasSize(2);
        assertThat(guarded.returns().get(0).value()).isEqualTo("NULL");
        assertThat(guarded.returns().get(0).guard().sqlFor("u"))
                .as("OLD is the row a delete is about").contains("(u.\"is_anonymous\" IS NOT TRUE)");
        assertThat(guarded.returns().get(1).value()).isEqualTo("OLD");
    }

    @Test
    void eventTestsInEitherOrderAndNegatedBecomeTokens() {
        assertThat(PathText.eventTests("IF 'UPDATE' = TG_OP OR TG_OP <> 'INSERT' OR tg_op not in ('DELETE')"))
                .contains("(TG_OP_IS_UPDATE)").contains("(NOT TG_OP_IS_INSERT)")
                .contains("(NOT (TG_OP_IS_DELETE))");
        assertThat(PathText.eventTests("raise notice 'TG_OP = ''DELETE'''")).doesNotContain("TG_OP_IS_");
    }

    @Test
    void columnsFilledWithTheIdentitysOwnValueAreCopies() {
        PathText.Reading r = read("""
                begin
                  insert into public.profiles (id, email, full_name) values (new.id, new.email, coalesce(new.phone, 'x'));
                  update public.accounts set contact = new.phone, seen = now() where owner_id = new.id;
                  return new;
                end;""");

        assertThat(r.writes()).hasSize(2);
        assertThat(r.writes().get(0).copies()).containsExactly(java.util.Map.entry("id", "id"),
                java.util.Map.entry("email", "email"));
        assertThat(r.writes().get(1).copies()).containsExactly(java.util.Map.entry("contact", "phone"));
        assertThat(r.writes().get(1).keyColumn()).contains("owner_id");
    }
    @Test
    void dynamicSqlIsToldApartFromExecutingAFunctionAndFromTextInStrings() {
        assertThat(PathText.executesDynamicSql("BEGIN EXECUTE format('INSERT INTO %I.wallets (user_id) VALUES ($1)',"
                + " TG_TABLE_SCHEMA) USING NEW.id; RETURN NEW; END")).isTrue();
        assertThat(PathText.executesDynamicSql("BEGIN IF NEW.is_anonymous THEN EXECUTE 'SELECT 1'; END IF; END"))
                .isTrue();
        assertThat(PathText.executesDynamicSql("BEGIN INSERT INTO public.users (id) VALUES (NEW.id);"
                + " RAISE NOTICE 'EXECUTE later'; RETURN NEW; END")).as("inside a string").isFalse();
        assertThat(PathText.executesDynamicSql("BEGIN PERFORM 1; -- EXECUTE 'x'\n RETURN NEW; END"))
                .as("inside a comment").isFalse();
    }
}
