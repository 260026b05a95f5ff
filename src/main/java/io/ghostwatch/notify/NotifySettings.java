package io.ghostwatch.notify;

import io.ghostwatch.judge.Priority;
import io.ghostwatch.sql.Identifier;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Validated notification settings.
 *
 * @param reminders     how often an unresolved incident is repeated, per non-OK priority
 * @param escalateAfter the runbook's escalation table: unresolved this long at a priority means escalate
 * @param maxRuns       runs that try an undelivered notification before it is given up
 */
public record NotifySettings(Optional<URI> slackUrl, Optional<URI> webhookUrl, Optional<String> webhookSecret,
                             boolean includeEmails, Identifier emailColumn, Optional<String> runbookUrl,
                             String escalationContacts, Map<Priority, Duration> reminders,
                             Map<Priority, Duration> escalateAfter, Duration connectTimeout, Duration readTimeout,
                             int attempts, Duration backoff, int maxRuns) {

    public NotifySettings {
        reminders = Map.copyOf(reminders);
        escalateAfter = Map.copyOf(escalateAfter);
    }

    public boolean anyChannel() {
        return slackUrl.isPresent() || webhookUrl.isPresent();
    }

    @Override
    public String toString() {
        return "NotifySettings[slack=" + slackUrl.isPresent() + ", webhook=" + webhookUrl.isPresent()
                + ", secret=***, includeEmails=" + includeEmails + "]";
    }
}
