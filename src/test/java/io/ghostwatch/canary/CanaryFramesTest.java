package io.ghostwatch.canary;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The function that raised is the innermost frame of PostgreSQL's error context, written first. */
class CanaryFramesTest {

    @Test
    void theInnermostFunctionComesFirstThenItsCallers() {
        // As the server wrote it for a Database Webhook on the profile table whose pg_net is gone.
        String where = """
                PL/pgSQL function supabase_functions.http_request() line 3 at PERFORM
                SQL statement "INSERT INTO public.users (id, email) VALUES (NEW.id, NEW.email)"
                PL/pgSQL function public.handle_new_user() line 3 at SQL statement""";

        assertThat(CanaryProbe.frames(where)).containsExactly(
                "PL/pgSQL function supabase_functions.http_request() line 3",
                "PL/pgSQL function public.handle_new_user() line 3");
    }

    @Test
    void anErrorOfTheCanarysOwnStatementHasNoFrame() {
        assertThat(CanaryProbe.frames(null)).isEmpty();
        assertThat(CanaryProbe.frames("SQL statement \"INSERT INTO auth.users (id) VALUES ($1)\"")).isEmpty();
    }
}
