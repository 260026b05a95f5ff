package io.ghostwatch.notify;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

/** A failed delivery is described without the URL's path or query: a Slack webhook's path is its secret. */
class HookSenderTest {

    private static final URI SLACK = URI.create("https://hooks.slack.com/services/T0001/B0002/s3cret?x=token");

    @Test
    void theClientsRequestLineAndTheUrlAreCutOut() {
        RuntimeException timeout = new RuntimeException(new java.util.concurrent.TimeoutException("The timeout"
                + " period of 10000ms has been exceeded while executing POST /services/T0001/B0002/s3cret?x=token"
                + " for server hooks.slack.com:443"));
        RuntimeException other = new RuntimeException("cannot reach " + SLACK + " now");
        RuntimeException decoded = new RuntimeException("GET /services/T0001/B0002/s3cret failed");

        for (RuntimeException e : new RuntimeException[] {timeout, other, decoded}) {
            String said = HookSender.describe(e, SLACK);
            assertThat(said).doesNotContain("s3cret").doesNotContain("T0001").doesNotContain("token");
        }
        assertThat(HookSender.describe(timeout, SLACK)).startsWith("TimeoutException: The timeout period")
                .contains("executing POST …").contains("hooks.slack.com:443");
    }
}
