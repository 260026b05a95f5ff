package io.ghostwatch.notify;

import io.ghostwatch.judge.Priority;
import io.ghostwatch.sql.Identifier;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** When people hear about a run: on changes, reminders and the runbook's escalation times. No database. */
class NotificationRulesTest {

    static final NotifySettings SETTINGS = new NotifySettings(Optional.empty(), Optional.empty(), Optional.empty(),
            false, Identifier.of("email"), Optional.empty(), "Buck and Isabel",
            Map.of(Priority.P0, Duration.ofMinutes(15), Priority.P1, Duration.ofHours(1),
                    Priority.P2, Duration.ofHours(24)),
            Map.of(Priority.P0, Duration.ofMinutes(15), Priority.P1, Duration.ofHours(1)),
            Duration.ofSeconds(5), Duration.ofSeconds(10), 3, Duration.ofMillis(500), 24);

    private static final Instant T0 = Instant.parse("2026-11-25T02:00:00Z");

    /** Feeds (minute, priority) runs through the rules and collects what was sent. */
    private static List<String> run(Object... minuteAndPriority) {
        List<String> sent = new ArrayList<>();
        Optional<NotifyState> state = Optional.empty();
        for (int i = 0; i < minuteAndPriority.length; i += 2) {
            Instant now = T0.plus(Duration.ofMinutes((Integer) minuteAndPriority[i]));
            Decision d = NotificationRules.decide(state, (Priority) minuteAndPriority[i + 1], now, SETTINGS);
            d.kind().ifPresent(k -> sent.add(k.wireName() + (d.escalation() ? "+escalation" : "")));
            state = Optional.of(d.next());
        }
        return sent;
    }

    @Test
    void theIssuesSequenceSendsExactlyFourMessages() {
        assertThat(run(0, Priority.OK, 5, Priority.P1, 10, Priority.P1, 15, Priority.P0, 31, Priority.P0,
                35, Priority.OK))
                .containsExactly("opened", "raised", "reminder+escalation", "resolved");
    }

    @Test
    void aRepeatedPriorityIsSilentUntilItsReminderInterval() {
        assertThat(run(0, Priority.P2, 60, Priority.P2, 24 * 60 - 1, Priority.P2, 24 * 60, Priority.P2))
                .containsExactly("opened", "reminder");
    }

    @Test
    void p1EscalatesAfterAnHourOnceThenRemindsAsEscalated() {
        assertThat(run(0, Priority.P1, 59, Priority.P1, 60, Priority.P1, 90, Priority.P1, 120, Priority.P1))
                .containsExactly("opened", "reminder+escalation", "reminder+escalation");
    }

    @Test
    void p0EscalationIsMeasuredFromWhenItBecameP0() {
        assertThat(run(0, Priority.P1, 50, Priority.P0, 64, Priority.P0, 65, Priority.P0))
                .containsExactly("opened", "raised", "reminder+escalation");
    }

    @Test
    void loweringIsAChangeAndResolvingClosesTheIncident() {
        assertThat(run(0, Priority.P0, 1, Priority.P1, 2, Priority.OK, 3, Priority.OK, 4, Priority.P2))
                .containsExactly("opened", "lowered", "resolved", "opened");
    }

    @Test
    void theFirstRunEverThatFindsSomethingOpensAnIncident() {
        assertThat(run(0, Priority.P0)).containsExactly("opened");
        assertThat(run(0, Priority.OK)).isEmpty();
    }

    @Test
    void incidentOpeningTimeSurvivesPriorityChanges() {
        Decision opened = NotificationRules.decide(Optional.empty(), Priority.P1, T0, SETTINGS);
        Decision raised = NotificationRules.decide(Optional.of(opened.next()), Priority.P0,
                T0.plusSeconds(600), SETTINGS);

        assertThat(raised.next().incidentOpenedAt()).contains(T0);
        assertThat(raised.next().prioritySince()).isEqualTo(T0.plusSeconds(600));
    }
}
