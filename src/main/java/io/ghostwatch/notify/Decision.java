package io.ghostwatch.notify;

import java.util.Optional;

/** What one run means for the people: a notification or none, and the state to keep. */
public record Decision(Optional<NotificationKind> kind, boolean escalation, NotifyState next) {
}
