package io.ghostwatch.notify;

import io.ghostwatch.judge.Priority;

import java.time.Instant;
import java.util.Optional;

/**
 * Where a target's incident stands between runs.
 *
 * @param prioritySince    when the current priority began: escalation is measured from here
 * @param incidentOpenedAt when it last left OK; empty while OK
 * @param lastNotifiedAt   when anyone was last told: reminders are measured from here
 * @param escalatedAt      when the runbook's escalation was announced at the current priority
 */
public record NotifyState(Priority priority, Instant prioritySince, Optional<Instant> incidentOpenedAt,
                          Optional<Instant> lastNotifiedAt, Optional<Instant> escalatedAt) {

    public static NotifyState quiet(Instant since) {
        return new NotifyState(Priority.OK, since, Optional.empty(), Optional.empty(), Optional.empty());
    }
}
