package io.ghostwatch.canary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ghostwatch.testing.Eventually;
import io.ghostwatch.testing.Ghostwatch;
import io.ghostwatch.testing.SupabaseDatabaseTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The opt-in signup canary through the packaged {@code check}: what it sees, and that it never leaves a row. */
class CanaryIT extends SupabaseDatabaseTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void healthy() throws IOException {
        restoreSyncFunction();
        fixture.reset();
        fixture.users(10, Duration.ofDays(1));
    }

    /** The demo schema's handle_new_user(), as CREATE OR REPLACE. */
    private static void restoreSyncFunction() throws IOException {
        try (InputStream in = CanaryIT.class.getClassLoader().getResourceAsStream("demo/schema.sql")) {
            String schema = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int start = schema.indexOf("CREATE FUNCTION public.handle_new_user()");
            int end = schema.indexOf("$$;", start) + 3;
            db.execute(schema.substring(start, end).replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION"));
        }
    }

    private static String checksum() {
        return fixture.checksum();
    }

    private static JsonNode check() {
        Ghostwatch.Result r = Ghostwatch.against(db).env("GHOSTWATCH_CANARY_ENABLED", "true")
                .env("GHOSTWATCH_HISTORY_ENABLED", "false").run("check", "--output", "json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout() + r.stderr()).doesNotContain("@example.com");
        try {
            return JSON.readTree(r.stdout());
        } catch (IOException e) {
            throw new AssertionError(r.toString(), e);
        }
    }

    @Test
    void aHealthyTriggerPassesAndNothingIsLeftBehind() {
        String before = checksum();

        JsonNode report = check();

        assertThat(report.at("/snapshot/canary/outcome").asText()).isEqualTo("profile_created");
        assertThat(report.at("/snapshot/canary/detail").asText()).contains("as supabase_auth_admin");
        assertThat(report.get("priority").asText()).isEqualTo("OK");
        assertThat(checksum()).isEqualTo(before);
        Ghostwatch.Result table = Ghostwatch.against(db).env("GHOSTWATCH_CANARY_ENABLED", "true")
                .env("GHOSTWATCH_HISTORY_ENABLED", "false").run("check");
        assertThat(table.stdout()).as("a canary that worked is shown too").contains("signup canary: profile_created");
    }

    @Test
    void aFunctionThatSwallowsItsErrorsIsCaughtBeforeAnyGhostExists() {
        db.execute("CREATE OR REPLACE FUNCTION public.handle_new_user() RETURNS trigger LANGUAGE plpgsql"
                + " SECURITY DEFINER SET search_path = '' AS $$ BEGIN"
                + " INSERT INTO public.users (id, nickname) VALUES (NEW.id, 'x'); RETURN NEW;"
                + " EXCEPTION WHEN OTHERS THEN RETURN NEW; END $$");
        String before = checksum();

        JsonNode report = check();

        assertThat(report.at("/snapshot/canary/outcome").asText()).isEqualTo("no_profile");
        assertThat(report.at("/snapshot/ghosts/total").asLong()).isZero();
        assertThat(report.get("priority").asText()).isEqualTo("P0");
        assertThat(report.at("/findings/0/code").asText()).isEqualTo("canary_no_profile");
        assertThat(checksum()).isEqualTo(before);
    }

    @Test
    void aFunctionThatRaisesMeansSignupsFailAndIsP0() {
        db.execute("CREATE OR REPLACE FUNCTION public.handle_new_user() RETURNS trigger LANGUAGE plpgsql AS"
                + " $$ BEGIN RAISE EXCEPTION 'profile service down'; END $$");
        String before = checksum();

        JsonNode report = check();

        assertThat(report.at("/snapshot/canary/outcome").asText()).isEqualTo("insert_failed");
        assertThat(report.at("/snapshot/canary/detail").asText()).contains("profile service down");
        assertThat(report.get("priority").asText()).isEqualTo("P0");
        assertThat(report.at("/findings/0/code").asText()).isEqualTo("canary_insert_failed");
        assertThat(checksum()).isEqualTo(before);
    }

    @Test
    void aCanaryKilledMidTransactionLeavesNoRow() throws Exception {
        String before = checksum();
        try (Connection blocker = db.connect(); Statement st = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            st.execute("LOCK TABLE auth.users IN SHARE MODE"); // the canary's insert waits behind this
            try (Ghostwatch.Running run = Ghostwatch.against(db).env("GHOSTWATCH_CANARY_ENABLED", "true")
                    .env("GHOSTWATCH_CANARY_TIMEOUT", "60s").env("GHOSTWATCH_HISTORY_ENABLED", "false")
                    .start("check")) {
                Eventually.await("the canary waiting inside its transaction", Duration.ofSeconds(60),
                        () -> db.queryLong("SELECT count(*) FROM pg_stat_activity WHERE datname = ?"
                                + " AND application_name = 'ghostwatch' AND wait_event_type = 'Lock'", db.name()),
                        n -> n >= 1);
                run.kill();
            }
            blocker.rollback(); // the orphaned backend now inserts, then finds its client gone and aborts
        }
        Eventually.await("the killed canary's backend to end", Duration.ofSeconds(60),
                () -> db.queryLong("SELECT count(*) FROM pg_stat_activity WHERE datname = ?"
                        + " AND application_name = 'ghostwatch'", db.name()), n -> n == 0);
        assertThat(checksum()).isEqualTo(before);
        assertThat(db.queryLong("SELECT count(*) FROM auth.users WHERE id::text LIKE '67687374-%'")).isZero();
    }
}
