package io.ghostwatch.metrics;

import io.ghostwatch.canary.CanaryResult;
import io.ghostwatch.run.CheckOutcome;
import io.ghostwatch.snapshot.Snapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The series values of one run; {@code complete} when it replaces every series (a good run) rather than only
 * the run-status ones (a failed run). A run that could not check sets only {@code up}, the last-run time and the
 * duration: the other series, {@code last_success} above all, keep the values of the last good run, which is
 * how Prometheus tells a monitor that keeps failing from one that recovered. The findings ({@code
 * ghostwatch_finding}) are a complete run's whole set: a finding it did not make is removed, while a failed run
 * leaves the last known set as it is (unknown is not gone).
 */
public record RunMetrics(Map<Metric, Double> values, boolean complete, List<FindingSeries> findings,
                         List<ContractSeries> contracts) {

    public RunMetrics {
        Map<Metric, Double> copy = new EnumMap<>(Metric.class);
        copy.putAll(values);
        values = Collections.unmodifiableMap(copy);
        findings = List.copyOf(findings);
        contracts = List.copyOf(contracts);
    }

    public RunMetrics(Map<Metric, Double> values, boolean complete, List<FindingSeries> findings) {
        this(values, complete, findings, List.of());
    }

    public RunMetrics(Map<Metric, Double> values, boolean complete) {
        this(values, complete, List.of());
    }

    /** The same run with an output's own series added (notification counts, known only after delivery). */
    public RunMetrics with(Metric metric, double value) {
        Map<Metric, Double> v = new EnumMap<>(values);
        v.put(metric, value);
        return new RunMetrics(v, complete, findings, contracts);
    }

    public static RunMetrics of(CheckOutcome outcome) {
        Snapshot s = outcome.snapshot();
        Map<Metric, Double> v = new EnumMap<>(Metric.class);
        v.put(Metric.GHOST_USERS, (double) s.ghosts().total());
        v.put(Metric.GHOST_USERS_OLD, (double) s.ghosts().old());
        v.put(Metric.GHOST_OLDEST_AGE, s.ghosts().withoutCreatedAt() > 0
                ? Double.POSITIVE_INFINITY : seconds(s.ghosts().oldestAge(s.databaseTime())));
        v.put(Metric.ORPHANED_PROFILES, (double) s.orphans().unhandled());
        v.put(Metric.AUTH_USERS, (double) s.identities());
        v.put(Metric.PROFILES, (double) s.profiles());
        v.put(Metric.PARITY_DELTA, (double) s.parityDelta());
        v.put(Metric.TRIGGER_PRESENT, s.trigger().present() ? 1.0 : 0.0);
        v.put(Metric.TRIGGER_ENABLED, s.trigger().fires() ? 1.0 : 0.0);
        v.put(Metric.PRIORITY, (double) outcome.verdict().priority().level());
        v.put(Metric.UP, 1.0);
        v.put(Metric.LAST_RUN_TIMESTAMP, epochSeconds(outcome.finishedAt()));
        v.put(Metric.LAST_SUCCESS_TIMESTAMP, epochSeconds(outcome.finishedAt()));
        v.put(Metric.CHECK_DURATION, seconds(s.elapsed()));
        s.scan().lastFullScanAt().ifPresent(t -> v.put(Metric.LAST_FULL_SCAN_TIMESTAMP, epochSeconds(t)));
        s.inserts().ifPresent(i -> {
            v.put(Metric.IDENTITY_INSERTS, (double) i.identity());
            v.put(Metric.PROFILE_INSERTS, (double) i.profile());
        });
        outcome.evidence().signups().ifPresent(a -> {
            if (a.counted()) {
                v.put(Metric.SIGNUP_ATTEMPTS_COMMITTED, (double) a.committed());
                v.put(Metric.SIGNUP_ATTEMPTS_ROLLED_BACK, (double) a.rolledBack());
            }
            v.put(Metric.SIGNUPS_FAILING, a.failing() ? 1.0 : 0.0);
        });
        v.put(Metric.SIGNUP_BLOCKERS, (double) outcome.verdict().signupBlockers());
        outcome.canary().filter(CanaryResult::ran).ifPresent(c -> v.put(Metric.CANARY_SUCCESS,
                c.outcome() == CanaryResult.Outcome.PROFILE_CREATED ? 1.0 : 0.0));
        return new RunMetrics(v, true, FindingSeries.of(outcome.verdict().findings()),
                ContractSeries.of(outcome.evidence()));
    }

    public static RunMetrics failed(Instant finishedAt, Duration elapsed) {
        Map<Metric, Double> v = new EnumMap<>(Metric.class);
        v.put(Metric.UP, 0.0);
        v.put(Metric.LAST_RUN_TIMESTAMP, epochSeconds(finishedAt));
        v.put(Metric.CHECK_DURATION, seconds(elapsed));
        return new RunMetrics(v, false);
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private static double epochSeconds(Instant t) {
        return t.toEpochMilli() / 1000.0;
    }
}
