package io.ghostwatch.output;

import io.ghostwatch.config.Settings;
import io.ghostwatch.history.HistoryException;
import io.ghostwatch.history.HistoryStore;
import io.ghostwatch.metrics.Metric;
import io.ghostwatch.metrics.MetricsState;
import io.ghostwatch.metrics.PushFailedException;
import io.ghostwatch.metrics.PushgatewayClient;
import io.ghostwatch.metrics.RunMetrics;
import io.ghostwatch.notify.NotificationService;
import io.ghostwatch.notify.NotifyResult;
import io.ghostwatch.run.RunRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Hands one run to every configured output: history, then notifications (which read the state history keeps),
 * then the Pushgateway (last, so it carries the notification series). Outputs never change the verdict, and
 * one failing output never stops the others.
 */
@ApplicationScoped
public class Outputs {

    @Inject
    HistoryStore history;

    @Inject
    NotificationService notifications;

    @Inject
    MetricsState metrics;

    public OutputResult deliver(Settings settings, RunRecord run, boolean push) {
        List<String> problems = new ArrayList<>();

        boolean withHistory = false;
        if (settings.history().enabled()) {
            try {
                history.migrate(settings.history());
                history.record(settings.history(), run);
                withHistory = true;
            } catch (HistoryException e) {
                // When the database itself is down, its own error already says so; no second line about it.
                if (run.checked()) {
                    problems.add("history not recorded: " + e.getMessage());
                }
            }
        }

        NotifyResult notified = notifications.notify(settings, run, withHistory);
        problems.addAll(notified.problems());
        Map<Metric, Double> notifySeries = new EnumMap<>(Metric.class);
        notifySeries.put(Metric.NOTIFICATION_FAILURES, (double) notified.failed());
        notifySeries.put(Metric.NOTIFICATIONS_PENDING, (double) notified.pending());
        metrics.record(settings.target(), new RunMetrics(notifySeries, false));
        RunMetrics series = run.metrics()
                .with(Metric.NOTIFICATION_FAILURES, notified.failed())
                .with(Metric.NOTIFICATIONS_PENDING, notified.pending());

        if (push && settings.pushgateway().isPresent()) {
            try {
                new PushgatewayClient(settings.pushgateway().get()).push(settings.target(), series);
            } catch (PushFailedException e) {
                problems.add("metrics not pushed: " + e.getMessage());
            }
        }
        return new OutputResult(problems, series);
    }
}
