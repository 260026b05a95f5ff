package io.ghostwatch.diagnose;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading which of the new identity's values a function writes where, from its text. */
class SignupValueTest {

    private static InsertValues.Value column(String body, String column) {
        return InsertValues.read(body).stream().filter(v -> v.column().equals(column)).findFirst().orElseThrow();
    }

    private static SignupValue value(String body, String column) {
        return SignupValue.of(column(body, column).expression(), "id").orElseThrow();
    }

    @Test
    void readsEachColumnsExpressionWithTheMetadataKeys() {
        String body = """
                BEGIN
                  -- INSERT INTO public.decoy (email) VALUES (NEW.email);
                  INSERT INTO public.profiles AS p (id, email, username, age, full_name)
                  VALUES (NEW.id, NEW.email, split_part(NEW.email, '@', 1),
                          (NEW.raw_user_meta_data->>'age')::integer, new.raw_user_meta_data ->> 'full_name');
                  RETURN NEW;
                END""";

        assertThat(InsertValues.read(body)).extracting(InsertValues.Value::column)
                .containsExactly("id", "email", "username", "age", "full_name");
        assertThat(column(body, "email").into("public", "profiles")).isTrue();
        assertThat(SignupValue.of(column(body, "id").expression(), "id")).isEmpty();

        SignupValue email = value(body, "email");
        assertThat(email.source()).isEqualTo("email");
        assertThat(email.nullSafe()).isFalse();
        assertThat(email.derived()).isFalse();

        SignupValue username = value(body, "username");
        assertThat(username.derived()).isTrue();
        assertThat(username.functions()).containsExactly("split_part");

        SignupValue age = value(body, "age");
        assertThat(age.key()).contains("age");
        assertThat(age.castTo()).contains("integer");
        assertThat(age.origin()).isEqualTo("NEW.raw_user_meta_data->>'age'");

        assertThat(value(body, "full_name").key()).contains("full_name");
        assertThat(value(body, "full_name").castTo()).isEmpty();
    }

    @Test
    void theDocsSubscriptAndCastShapesAreRead() {
        String body = "begin insert into public.profiles (id, first_name, age) values (new.id,"
                + " new.raw_user_meta_data['first_name'] #>> '{}', cast(new.raw_user_meta_data['age'] as int));"
                + " return new; end";

        assertThat(value(body, "first_name").key()).contains("first_name");
        assertThat(value(body, "age").key()).contains("age");
        assertThat(value(body, "age").castTo()).contains("int");
    }

    @Test
    void coalesceACaseAndTheIdentitysIdMakeAValueSafe() {
        String body = "BEGIN INSERT INTO profiles (id, email, username, age) SELECT NEW.id,"
                + " coalesce(NEW.email, ''), split_part(NEW.email, '@', 1) || '_' || left(NEW.id::text, 6),"
                + " CASE WHEN NEW.raw_user_meta_data->>'age' ~ '^[0-9]+$' THEN (NEW.raw_user_meta_data->>'age')::int"
                + " END ON CONFLICT (id) DO NOTHING; RETURN NEW; END";

        assertThat(value(body, "email").nullSafe()).isTrue();
        assertThat(value(body, "username").perIdentity()).isTrue();
        assertThat(value(body, "age").guarded()).isTrue();
        assertThat(column(body, "email").schema()).isEqualTo(Optional.empty());
        assertThat(column(body, "email").conflictTarget()).isEqualTo(List.of("id"));
        assertThat(column(body, "email").skipsConflicts()).isFalse();
    }

    @Test
    void aBareDoNothingSkipsEveryConflictAndLiteralsInCommentsOrStringsAreNotCode() {
        String body = "BEGIN INSERT INTO public.profiles (id, username) VALUES (NEW.id, NEW.raw_user_meta_data->>'user_name')"
                + " ON CONFLICT DO NOTHING; PERFORM 'INSERT INTO public.x (email) VALUES (NEW.email)'; RETURN NEW; END";

        assertThat(column(body, "username").skipsConflicts()).isTrue();
        assertThat(InsertValues.read(body)).extracting(InsertValues.Value::table).containsOnly("profiles");
    }
}
