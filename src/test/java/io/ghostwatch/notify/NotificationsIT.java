package io.ghostwatch.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ghostwatch.testing.Ghostwatch;
import io.ghostwatch.testing.Ghostwatch.Result;
import io.ghostwatch.testing.Ports;
import io.ghostwatch.testing.SupabaseDatabaseTest;
import io.ghostwatch.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Notifications through the packaged {@code check}, to a real HTTP receiver for both channels. */
class NotificationsIT extends SupabaseDatabaseTest {

    private static final String SECRET = "it-shared-secret";
    private static final ObjectMapper JSON = new ObjectMapper();

    private WebhookReceiver receiver;

    @BeforeEach
    void healthy() {
        fixture.reset();
        db.execute("DROP SCHEMA IF EXISTS ghostwatch CASCADE");
        fixture.users(10, Duration.ofDays(3));
        receiver = WebhookReceiver.start(SECRET);
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    private Ghostwatch ghostwatch() {
        return Ghostwatch.against(db).env("GHOSTWATCH_TARGET", "notify")
                .env("GHOSTWATCH_NOTIFY_WEBHOOK_URL", receiver.url("/hook"))
                .env("GHOSTWATCH_NOTIFY_WEBHOOK_SECRET", SECRET)
                .env("GHOSTWATCH_NOTIFY_SLACK_URL", receiver.url("/slack"))
                .env("GHOSTWATCH_NOTIFY_BACKOFF", "50ms");
    }

    private static Result check(Ghostwatch g) {
        Result r = g.run("check");
        assertThat(r.exitCode()).as(r.toString()).isIn(0, 3);
        return r;
    }

    private static JsonNode json(WebhookReceiver.Request r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private List<String> webhookKinds() {
        return receiver.accepted("/hook").stream()
                .map(r -> json(r).get("kind").asText() + (json(r).get("escalation").asBoolean() ? "+escalation" : ""))
                .toList();
    }

    @Test
    void okP1P1P0P0OkSendsOpenedRaisedEscalationResolvedAndNothingForTheRepeat() throws InterruptedException {
        Ghostwatch g = ghostwatch()
                .env("GHOSTWATCH_NOTIFY_REMINDER_P0", "2s")
                .env("GHOSTWATCH_NOTIFY_ESCALATE_AFTER_P0", "2s");

        check(g);                                      // OK
        fixture.ghosts(1, Duration.ofMinutes(3));
        check(g);                                      // P1
        check(g);                                      // P1 again: nothing
        fixture.triggerState("DISABLE");
        check(g);                                      // P0
        Thread.sleep(2_500);                           // past the (shortened) P0 escalation time
        check(g);                                      // P0, unresolved: reminder with escalation
        fixture.triggerState("ENABLE");
        db.execute("INSERT INTO public.users (id) SELECT a.id FROM auth.users a"
                + " WHERE NOT EXISTS (SELECT 1 FROM public.users p WHERE p.id = a.id)");
        Result last = check(g);                        // OK

        assertThat(last.exitCode()).as(last.toString()).isZero();
        assertThat(webhookKinds()).containsExactly("opened", "raised", "reminder+escalation", "resolved");
        assertThat(receiver.accepted("/slack")).hasSize(4);
        assertThat(receiver.accepted("/slack").get(2).body()).contains("ESCALATION: P0 not resolved in 2s")
                .contains("Buck (Data Engineering) and Isabel (Infrastructure)");
        JsonNode raised = json(receiver.accepted("/hook").get(1));
        assertThat(raised.get("version").asText()).isEqualTo("ghostwatch.notification/v1");
        assertThat(raised.get("priority").asText()).isEqualTo("P0");
        assertThat(raised.get("previousPriority").asText()).isEqualTo("P1");
        assertThat(raised.get("runbookStep").asText()).isEqualTo("Step 3A");
        assertThat(raised.at("/counts/ghosts").asLong()).isEqualTo(1);
        assertThat(raised.get("ghostIds")).hasSize(1);
        // The ghost was made before the checks that saw the trigger firing: not counted as made while it was off.
        assertThat(raised.at("/incidentWindow/whileTriggerNotFiring").asLong()).isZero();
        assertThat(raised.at("/incidentWindow/perHour/0/ghosts").asLong()).isEqualTo(1);
        assertThat(raised.at("/incidentWindow/firstCreatedAt").asText()).isNotBlank();
        assertThat(receiver.requests()).allSatisfy(r -> assertThat(r.body()).doesNotContain("@example.com"));
    }

    @Test
    void theReceiverVerifiesTheSignatureAndRejectsATamperedBodyOrAReplay() throws Exception {
        fixture.ghosts(1, Duration.ofMinutes(3));
        check(ghostwatch());
        WebhookReceiver.Request original = receiver.accepted("/hook").get(0);
        String ts = original.header("X-Ghostwatch-Timestamp");
        String sig = original.header("X-Ghostwatch-Signature");
        assertThat(original.header("Idempotency-Key")).isEqualTo(json(original).get("id").asText());
        assertThat(receiver.verify(ts, sig, original.body())).isTrue();

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> tampered = http.send(HttpRequest.newBuilder(URI.create(receiver.url("/hook")))
                .header("X-Ghostwatch-Timestamp", ts).header("X-Ghostwatch-Signature", sig)
                .POST(HttpRequest.BodyPublishers.ofString(original.body().replace("\"P1\"", "\"OK\""))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(tampered.statusCode()).isEqualTo(401);
        assertThat(receiver.verify(Long.toString(Long.parseLong(ts) - 3600), sig, original.body()))
                .as("an hour-old timestamp is a replay").isFalse();
    }

    @Test
    void twoServerErrorsThenSuccessIsDeliveredOnce() {
        fixture.ghosts(1, Duration.ofMinutes(3));
        receiver.answerNext(500, 500); // the first channel's first two attempts

        Result r = check(ghostwatch());

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(receiver.requests()).hasSize(4); // 500, 500, 200 for one channel, 200 for the other
        assertThat(receiver.accepted("/hook")).hasSize(1);
        assertThat(receiver.accepted("/slack")).hasSize(1);
        assertThat(db.queryLong("SELECT max(attempts) FROM ghostwatch.outbox WHERE delivered_at IS NOT NULL"))
                .isEqualTo(3);
    }

    @Test
    void aClientErrorIsNotRetriedInTheRun() {
        fixture.ghosts(1, Duration.ofMinutes(3));
        receiver.answerNext(404);

        Result r = ghostwatch().env("GHOSTWATCH_NOTIFY_SLACK_URL", "").run("check");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        assertThat(receiver.requests()).hasSize(1);
        assertThat(r.stderr()).contains("answered HTTP 404 (not retried").contains("kept in the outbox");
    }

    @Test
    void aReceiverDownForARunGetsTheNotificationOnTheNextRunExactlyOnce() {
        fixture.ghosts(1, Duration.ofMinutes(3));
        int port = Ports.free();
        receiver.close();
        Ghostwatch g = ghostwatch()
                .env("GHOSTWATCH_NOTIFY_WEBHOOK_URL", "http://127.0.0.1:" + port + "/hook")
                .env("GHOSTWATCH_NOTIFY_SLACK_URL", "http://127.0.0.1:" + port + "/slack");

        Result down = g.run("check");
        assertThat(down.exitCode()).as(down.toString()).isEqualTo(3);
        assertThat(down.stdout()).contains("Priority: P1");
        assertThat(down.stderr()).contains("kept in the outbox for the next run");
        assertThat(db.queryLong("SELECT count(*) FROM ghostwatch.outbox WHERE delivered_at IS NULL")).isEqualTo(2);

        receiver = WebhookReceiver.on(port, SECRET);
        Result up = g.run("check");
        Result again = g.run("check");

        assertThat(up.exitCode()).as(up.toString()).isZero();
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(webhookKinds()).containsExactly("opened");
        assertThat(receiver.accepted("/slack")).hasSize(1);
        assertThat(db.queryLong("SELECT count(*) FROM ghostwatch.outbox WHERE delivered_at IS NULL")).isZero();
    }

    @Test
    void emailsOnlyWhenOptedInAndNeverToSlack() {
        fixture.ghosts(2, Duration.ofMinutes(3));

        Result optedIn = ghostwatch().env("GHOSTWATCH_NOTIFY_INCLUDE_EMAILS", "true").run("check");

        assertThat(optedIn.exitCode()).as(optedIn.toString()).isZero();
        JsonNode payload = json(receiver.accepted("/hook").get(0));
        assertThat(payload.get("ghostEmails")).hasSize(2);
        assertThat(payload.get("ghostEmails").get(0).asText()).endsWith("@example.com");
        assertThat(receiver.accepted("/slack").get(0).body()).doesNotContain("@example.com");
        assertThat(optedIn.stdout() + optedIn.stderr()).doesNotContain("@example.com");
    }

    @Test
    void withoutHistoryEveryNonOkRunNotifies() {
        fixture.ghosts(1, Duration.ofMinutes(3));
        Ghostwatch g = ghostwatch().env("GHOSTWATCH_HISTORY_ENABLED", "false");

        check(g);
        check(g);

        assertThat(webhookKinds()).containsExactly("alert", "alert");
        assertThat(db.queryLong("SELECT count(*) FROM pg_namespace WHERE nspname = 'ghostwatch'")).isZero();
    }

    @Test
    void errorTextTheDatabaseChoseCannotPingEveryoneOrDisguiseALinkInSlack() {
        // A trigger's error message is written by whoever can create triggers on auth.users.
        db.execute("CREATE FUNCTION public.hostile() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION"
                        + " '<!channel> signups are down & see <https://evil.example/login|the runbook>'; END $$",
                "CREATE TRIGGER hostile BEFORE INSERT ON auth.users FOR EACH ROW EXECUTE FUNCTION public.hostile()");
        try {
            check(ghostwatch().env("GHOSTWATCH_CANARY_ENABLED", "true"));

            String slack = json(receiver.accepted("/slack").get(0)).get("text").asText();
            assertThat(slack).contains("signups are failing right now").contains("&lt;!channel&gt; signups are down"
                    + " &amp; see &lt;https://evil.example/login|the runbook&gt;");
            assertThat(slack).doesNotContain("<!channel>").doesNotContain("<https://evil.example");
        } finally {
            db.execute("DROP TRIGGER hostile ON auth.users", "DROP FUNCTION public.hostile()");
        }
    }

    @Test
    void aSlackReceiverThatTimesOutIsNamedByItsHostNeverByItsSecretPath() throws Exception {
        fixture.ghosts(1, Duration.ofMinutes(3));
        // A socket that takes connections (its backlog) and never answers: the request times out.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String secretPath = "/services/T0GHOST01/B0GHOST02/s3cretW3bhookT0ken";
            Result r = Ghostwatch.against(db).env("GHOSTWATCH_TARGET", "notify")
                    .env("GHOSTWATCH_NOTIFY_SLACK_URL", "http://127.0.0.1:" + silent.getLocalPort() + secretPath)
                    .env("GHOSTWATCH_NOTIFY_READ_TIMEOUT", "1s").env("GHOSTWATCH_NOTIFY_ATTEMPTS", "1")
                    .run("check");

            assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
            String lastError = db.queryString("SELECT string_agg(last_error, ' | ') FROM ghostwatch.outbox");
            assertThat(r.stderr()).contains("slack receiver at 127.0.0.1");
            assertThat(lastError).contains("slack receiver at 127.0.0.1");
            for (String text : new String[] {r.stdout() + r.stderr(), lastError}) {
                assertThat(text).doesNotContain("s3cretW3bhookT0ken").doesNotContain("T0GHOST01")
                        .doesNotContain("/services/");
            }
        }
    }
}
