package io.ghostwatch.notify;

import io.ghostwatch.config.Settings;
import io.ghostwatch.history.HistoryErrors;
import io.ghostwatch.history.HistoryStore;
import io.ghostwatch.judge.Priority;
import io.ghostwatch.run.CheckOutcome;
import io.ghostwatch.run.RunRecord;
import io.ghostwatch.snapshot.Ghosts;
import io.ghostwatch.sql.SearchPath;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Tells people about a run. With history, the previous state decides (a change, a reminder, an escalation) and
 * each notification goes through the outbox: decided and queued in one transaction, delivered after, and kept
 * for the next run when a receiver is down, so nothing is lost and nothing is sent twice. Without history,
 * every non-OK run notifies directly and a failed delivery is lost (the exit code says so).
 */
@ApplicationScoped
public class NotificationService {

    @Inject
    HistoryStore store;

    /**
     * @param withHistory whether the history schema is usable in this run (enabled and migrated)
     */
    public NotifyResult notify(Settings settings, RunRecord run, boolean withHistory) {
        NotifySettings ns = settings.notifications();
        if (!ns.anyChannel() || run.outcome().isEmpty()) {
            // A run that could not check has no verdict to announce: ghostwatch_up and its alert cover it.
            return NotifyResult.nothing();
        }
        CheckOutcome outcome = run.outcome().get();
        List<String> emails = ns.includeEmails() ? emails(settings, outcome) : List.of();
        return withHistory ? throughOutbox(settings, run, outcome, emails) : direct(settings, outcome, emails);
    }

    private NotifyResult direct(Settings settings, CheckOutcome outcome, List<String> emails) {
        Priority p = outcome.verdict().priority();
        if (p == Priority.OK) {
            return NotifyResult.nothing();
        }
        Notification n = new Notification(UUID.randomUUID(), NotificationKind.ALERT, false, settings.target(), p,
                p, outcome.finishedAt(), Optional.empty(), outcome, emails);
        int sent = 0;
        List<String> problems = new ArrayList<>();
        try (HookSender sender = new HookSender(settings.notifications())) {
            for (Channel channel : channels(settings.notifications())) {
                HookSender.Result r = sender.send(channel, n.id().toString(), n.kind().wireName(),
                        render(channel, n, settings.notifications()));
                if (r.delivered()) {
                    sent++;
                } else {
                    problems.add("notification not delivered (no history, so it is not kept): " + r.error());
                }
            }
        }
        return new NotifyResult(sent, problems.size(), 0, problems);
    }

    private NotifyResult throughOutbox(Settings settings, RunRecord run, CheckOutcome outcome, List<String> emails) {
        OutboxStore outbox = new OutboxStore(settings.history());
        String target = settings.target();
        List<String> problems = new ArrayList<>();
        try (Connection c = store.connect()) {
            SearchPath.begin(c);
            Optional<NotifyState> previous = outbox.lockState(c, target);
            Priority current = outcome.verdict().priority();
            Decision d = NotificationRules.decide(previous, current, outcome.finishedAt(), settings.notifications());
            if (d.kind().isPresent()) {
                Priority before = previous.map(NotifyState::priority).orElse(Priority.OK);
                for (Channel channel : channels(settings.notifications())) {
                    // One id per channel and run: the receiver's idempotency key survives redelivery.
                    Notification n = new Notification(UUID.nameUUIDFromBytes((run.runId() + "/" + channel)
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8)), d.kind().get(), d.escalation(),
                            target, current, before, outcome.finishedAt(), d.next().incidentOpenedAt()
                            .or(() -> previous.flatMap(NotifyState::incidentOpenedAt)), outcome, emails);
                    outbox.enqueue(c, n.id(), target, channel, n.kind().wireName(),
                            render(channel, n, settings.notifications()));
                }
            }
            outbox.saveState(c, target, d.next());
            c.commit();
        } catch (SQLException e) {
            problems.add("notification state not updated: " + HistoryErrors.explain(e, settings.history(), "write"));
            return new NotifyResult(0, 1, 0, problems);
        }
        return deliverPending(settings, outbox, problems);
    }

    private NotifyResult deliverPending(Settings settings, OutboxStore outbox, List<String> problems) {
        int sent = 0;
        int failed = 0;
        long pending;
        try (HookSender sender = new HookSender(settings.notifications()); Connection c = store.connect()) {
            SearchPath.begin(c);
            for (OutboxStore.Pending p : outbox.lockPending(c, settings.target())) {
                if (!channels(settings.notifications()).contains(p.channel())) {
                    continue; // the channel was removed from configuration; keep it for when it returns
                }
                HookSender.Result r = sender.send(p.channel(), p.id().toString(), p.kind(), p.payload());
                if (r.delivered()) {
                    outbox.markDelivered(c, p.id(), r.attempts());
                    sent++;
                } else {
                    boolean giveUp = p.runsTried() + 1 >= settings.notifications().maxRuns();
                    outbox.markFailed(c, p.id(), r.attempts(), r.error(), giveUp);
                    failed++;
                    problems.add("notification " + p.kind() + " not delivered: " + r.error()
                            + (giveUp ? "; given up after " + settings.notifications().maxRuns() + " runs"
                            : "; kept in the outbox for the next run"));
                }
                c.commit(); // each outcome is durable before the next send
                SearchPath.pin(c);
            }
            pending = outbox.countPending(c, settings.target());
            c.commit();
        } catch (SQLException e) {
            problems.add("outbox not processed: " + HistoryErrors.explain(e, settings.history(), "write"));
            return new NotifyResult(sent, failed + 1, 0, problems);
        }
        return new NotifyResult(sent, failed, pending, problems);
    }

    private static List<Channel> channels(NotifySettings s) {
        List<Channel> channels = new ArrayList<>();
        s.slackUrl().ifPresent(u -> channels.add(Channel.SLACK));
        s.webhookUrl().ifPresent(u -> channels.add(Channel.WEBHOOK));
        return channels;
    }

    private static String render(Channel channel, Notification n, NotifySettings s) {
        return channel == Channel.SLACK ? Payloads.slack(n, s) : Payloads.webhook(n, s);
    }

    /** Emails of the sampled ghosts, read only because the operator opted in (Customer Success's list). */
    private List<String> emails(Settings settings, CheckOutcome outcome) {
        List<Ghosts.GhostRow> sample = outcome.snapshot().ghosts().sample();
        if (sample.isEmpty()) {
            return List.of();
        }
        String sql = "SELECT " + settings.notifications().emailColumn().quoted() + " FROM "
                + settings.schema().identityTable().quoted() + " WHERE " + settings.schema().identityId().quoted()
                + "::text = ANY(?) ORDER BY 1";
        List<String> emails = new ArrayList<>();
        try (Connection c = store.connect(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setArray(1, c.createArrayOf("text", sample.stream().map(Ghosts.GhostRow::id).toArray()));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(1) != null) {
                        emails.add(rs.getString(1));
                    }
                }
            }
        } catch (SQLException e) {
            return List.of(); // the notification still goes out, with ids only
        }
        return emails;
    }
}
