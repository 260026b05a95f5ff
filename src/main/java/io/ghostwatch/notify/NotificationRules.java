package io.ghostwatch.notify;

import io.ghostwatch.judge.Priority;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When to tell people (pure): on a change of priority, never on a repeat; a reminder while an incident stays
 * unresolved; and, once per priority, the runbook's escalation (P0 unresolved 15 minutes, P1 one hour).
 */
public final class NotificationRules {

    private NotificationRules() {
    }

    public static Decision decide(Optional<NotifyState> previous, Priority current, Instant now,
                                  NotifySettings settings) {
        NotifyState prev = previous.orElse(NotifyState.quiet(now));
        if (current == prev.priority()) {
            return current == Priority.OK ? none(prev) : repeat(prev, now, settings);
        }
        if (current == Priority.OK) {
            return new Decision(Optional.of(NotificationKind.RESOLVED), false, new NotifyState(Priority.OK, now,
                    Optional.empty(), Optional.of(now), Optional.empty()));
        }
        NotificationKind kind = prev.priority() == Priority.OK ? NotificationKind.OPENED
                : current.atLeast(prev.priority()) ? NotificationKind.RAISED : NotificationKind.LOWERED;
        Optional<Instant> opened = prev.priority() == Priority.OK ? Optional.of(now) : prev.incidentOpenedAt();
        return new Decision(Optional.of(kind), false,
                new NotifyState(current, now, opened, Optional.of(now), Optional.empty()));
    }

    private static Decision repeat(NotifyState prev, Instant now, NotifySettings settings) {
        Duration atThisPriority = Duration.between(prev.prioritySince(), now);
        Duration escalateAfter = settings.escalateAfter().get(prev.priority());
        boolean escalationDue = escalateAfter != null && prev.escalatedAt().isEmpty()
                && atThisPriority.compareTo(escalateAfter) >= 0;
        Duration every = settings.reminders().get(prev.priority());
        boolean reminderDue = prev.lastNotifiedAt()
                .map(t -> Duration.between(t, now).compareTo(every) >= 0).orElse(true);
        if (!escalationDue && !reminderDue) {
            return none(prev);
        }
        Optional<Instant> escalated = escalationDue ? Optional.of(now) : prev.escalatedAt();
        return new Decision(Optional.of(NotificationKind.REMINDER), escalated.isPresent(),
                new NotifyState(prev.priority(), prev.prioritySince(), prev.incidentOpenedAt(), Optional.of(now),
                        escalated));
    }

    private static Decision none(NotifyState prev) {
        return new Decision(Optional.empty(), false, prev);
    }
}
