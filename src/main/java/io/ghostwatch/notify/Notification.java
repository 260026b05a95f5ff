package io.ghostwatch.notify;

import io.ghostwatch.judge.Priority;
import io.ghostwatch.run.CheckOutcome;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One notification, before it is rendered for a channel.
 *
 * @param id     the idempotency key: the same on every delivery attempt, in every run
 * @param emails sampled ghosts' emails, only when the operator opted in; the generic webhook alone carries them
 */
public record Notification(UUID id, NotificationKind kind, boolean escalation, String target, Priority priority,
                           Priority previous, Instant occurredAt, Optional<Instant> incidentOpenedAt,
                           CheckOutcome outcome, List<String> emails) {

    public Notification {
        emails = List.copyOf(emails);
    }
}
