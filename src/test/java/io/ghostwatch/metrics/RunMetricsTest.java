package io.ghostwatch.metrics;

import io.ghostwatch.judge.Evidence;
import io.ghostwatch.judge.Judge;
import io.ghostwatch.judge.Policy;
import io.ghostwatch.run.CheckOutcome;
import io.ghostwatch.run.DatabaseLocation;
import io.ghostwatch.snapshot.Snapshot;
import io.ghostwatch.snapshot.TargetSchema;
import io.ghostwatch.testing.Snapshots;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class RunMetricsTest {

    private static CheckOutcome outcome(Snapshot s) {
        return outcome(Evidence.of(s));
    }

    private static CheckOutcome outcome(Evidence e) {
        Instant end = Instant.parse("2026-11-25T02:00:01Z");
        return new CheckOutcome("it", new DatabaseLocation("db:5432", "app", "ghostwatch"), end.minusSeconds(1),
                end, e, Judge.judge(e, Policy.DEFAULT, TargetSchema.supabaseDefaults()));
    }

    private static Evidence withCanary(Snapshot s, io.ghostwatch.canary.CanaryResult canary) {
        return new Evidence(s, java.util.Optional.of(canary), java.util.List.of());
    }

    @Test
    void aCompletedRunSetsEverySeries() {
        RunMetrics m = RunMetrics.of(outcome(Snapshots.healthy().ghosts(3, 1).orphans(2, 5).tgenabled("D").build()));

        assertThat(m.complete()).isTrue();
        assertThat(m.values().keySet()).containsAll(Arrays.stream(Metric.values())
                .filter(x -> !x.name().startsWith("NOTIFICATION") && x != Metric.CANARY_SUCCESS && !x.counter())
                .toList())
                .as("notification series come from the outputs; the canary's and the counters' only when read")
                .hasSize(Metric.values().length - 5);
        assertThat(m.values().get(Metric.GHOST_USERS)).isEqualTo(3.0);
        assertThat(m.values().get(Metric.GHOST_USERS_OLD)).isEqualTo(1.0);
        assertThat(m.values().get(Metric.GHOST_OLDEST_AGE)).isEqualTo(1800.0);
        assertThat(m.values().get(Metric.ORPHANED_PROFILES)).isEqualTo(2.0);
        assertThat(m.values().get(Metric.PARITY_DELTA)).isEqualTo(3.0 - 7.0);
        assertThat(m.values().get(Metric.TRIGGER_PRESENT)).isEqualTo(1.0);
        assertThat(m.values().get(Metric.TRIGGER_ENABLED)).isEqualTo(0.0);
        assertThat(m.values().get(Metric.PRIORITY)).isEqualTo(3.0);
        assertThat(m.values().get(Metric.UP)).isEqualTo(1.0);
        assertThat(m.values().get(Metric.LAST_SUCCESS_TIMESTAMP)).isEqualTo(1_795_572_001.0);
        assertThat(m.values().get(Metric.CHECK_DURATION)).isEqualTo(0.005);
    }

    @Test
    void theCanarySeriesExistsOnlyWhenTheCanaryRan() {
        io.ghostwatch.snapshot.Snapshot base = Snapshots.healthy().build();
        var ok = new io.ghostwatch.canary.CanaryResult(io.ghostwatch.canary.CanaryResult.Outcome.PROFILE_CREATED, "");
        var ghost = new io.ghostwatch.canary.CanaryResult(io.ghostwatch.canary.CanaryResult.Outcome.NO_PROFILE, "");
        var failed = new io.ghostwatch.canary.CanaryResult(io.ghostwatch.canary.CanaryResult.Outcome.INSERT_FAILED, "");
        var notRun = new io.ghostwatch.canary.CanaryResult(io.ghostwatch.canary.CanaryResult.Outcome.NOT_RUN, "");

        assertThat(RunMetrics.of(outcome(base)).values()).doesNotContainKey(Metric.CANARY_SUCCESS);
        assertThat(RunMetrics.of(outcome(withCanary(base, ok))).values().get(Metric.CANARY_SUCCESS)).isEqualTo(1.0);
        assertThat(RunMetrics.of(outcome(withCanary(base, ghost))).values().get(Metric.CANARY_SUCCESS)).isZero();
        assertThat(RunMetrics.of(outcome(withCanary(base, failed))).values().get(Metric.CANARY_SUCCESS)).isZero();
        assertThat(RunMetrics.of(outcome(withCanary(base, notRun))).values()).doesNotContainKey(Metric.CANARY_SUCCESS);
    }

    @Test
    void aGhostWithoutCreatedAtHasNoFiniteAge() {
        RunMetrics m = RunMetrics.of(outcome(Snapshots.healthy().ghostsWithoutCreatedAt(1).build()));

        assertThat(m.values().get(Metric.GHOST_OLDEST_AGE)).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void theLastFullScanIsWhenTheNumbersWereLastComputed() {
        io.ghostwatch.snapshot.Snapshot s = Snapshots.healthy().build();

        assertThat(RunMetrics.of(outcome(s)).values().get(Metric.LAST_FULL_SCAN_TIMESTAMP))
                .isEqualTo(s.databaseTime().getEpochSecond(), org.assertj.core.api.Assertions.within(0.001));
    }

    @Test
    void aFailedRunSetsOnlyTheRunStatusAndLeavesLastSuccessAlone() {
        RunMetrics m = RunMetrics.failed(Instant.parse("2026-11-25T02:05:00Z"), Duration.ofMillis(1500));

        assertThat(m.complete()).isFalse();
        assertThat(m.values()).containsOnlyKeys(Metric.UP, Metric.LAST_RUN_TIMESTAMP, Metric.CHECK_DURATION);
        assertThat(m.values().get(Metric.UP)).isZero();
        assertThat(m.values().get(Metric.CHECK_DURATION)).isEqualTo(1.5);
    }

    @Test
    void metricNamesAreDesignsAndFollowPrometheusConventions() {
        assertThat(Arrays.stream(Metric.values()).map(Metric::prometheusName)).containsExactlyInAnyOrder(
                "ghostwatch_ghost_users", "ghostwatch_ghost_users_old", "ghostwatch_ghost_oldest_age_seconds",
                "ghostwatch_orphaned_profiles", "ghostwatch_auth_users", "ghostwatch_profiles",
                "ghostwatch_count_parity_delta", "ghostwatch_trigger_present", "ghostwatch_trigger_enabled",
                "ghostwatch_priority", "ghostwatch_up", "ghostwatch_last_run_timestamp_seconds",
                "ghostwatch_last_success_timestamp_seconds", "ghostwatch_check_duration_seconds",
                "ghostwatch_notification_failures", "ghostwatch_notifications_pending", "ghostwatch_canary_success",
                "ghostwatch_identity_inserts_total", "ghostwatch_profile_inserts_total",
                "ghostwatch_last_full_scan_timestamp_seconds");
        assertThat(Arrays.stream(Metric.values()).filter(Metric::counter).map(Metric::prometheusName))
                .allMatch(n -> n.endsWith("_total"));
    }

    @Test
    void textExpositionHasHelpTypeAndPrometheusNumbers() {
        String text = PrometheusText.render(RunMetrics.failed(Instant.ofEpochSecond(1_795_572_001),
                Duration.ofMillis(250)));

        assertThat(text).isEqualTo("""
                # HELP ghostwatch_up 1 when the last run reached the database and finished its checks.
                # TYPE ghostwatch_up gauge
                ghostwatch_up 0
                # HELP ghostwatch_last_run_timestamp_seconds Unix time the last run ended.
                # TYPE ghostwatch_last_run_timestamp_seconds gauge
                ghostwatch_last_run_timestamp_seconds 1795572001
                # HELP ghostwatch_check_duration_seconds How long the last run's database work took.
                # TYPE ghostwatch_check_duration_seconds gauge
                ghostwatch_check_duration_seconds 0.25
                """);
        assertThat(PrometheusText.format(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(PrometheusText.format(Double.NaN)).isEqualTo("NaN");
    }
}
