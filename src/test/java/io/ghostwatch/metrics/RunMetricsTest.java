package io.ghostwatch.metrics;

import io.ghostwatch.signups.SignupActivity;
import io.ghostwatch.signups.SignupCounters;
import io.ghostwatch.signups.SignupLedger;

import io.ghostwatch.judge.Evidence;
import io.ghostwatch.judge.Judge;
import io.ghostwatch.judge.Policy;
import io.ghostwatch.run.CheckOutcome;
import io.ghostwatch.run.DatabaseLocation;
import io.ghostwatch.signups.SignupActivity;
import io.ghostwatch.signups.SignupCounters;
import io.ghostwatch.signups.SignupLedger;
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
                .filter(x -> !x.name().startsWith("NOTIFICATION") && x != Metric.CANARY_SUCCESS && !x.counter()
                        && !x.name().startsWith("SIGNUP_ATTEMPTS") && x != Metric.SIGNUPS_FAILING)
                .toList())
                .as("notification series come from the outputs; the canary's, the counters' and the signup"
                        + " counts' only when read")
                .hasSize(Metric.values().length - 8);
        assertThat(m.values().get(Metric.SIGNUP_BLOCKERS)).isZero();
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
                "ghostwatch_last_full_scan_timestamp_seconds", "ghostwatch_signup_attempts",
                "ghostwatch_signup_attempts", "ghostwatch_signups_failing", "ghostwatch_signup_blockers");
        assertThat(Arrays.stream(Metric.values()).filter(Metric::counter).map(Metric::prometheusName))
                .allMatch(n -> n.endsWith("_total"));
    }

    private static Evidence withSignups(SignupActivity activity) {
        return new Evidence(Snapshots.healthy().build(), java.util.Optional.empty(), java.util.List.of(),
                java.util.Optional.of(activity), java.util.List.of());
    }

    private static final Instant START = Instant.parse("2026-11-25T00:00:00Z");

    private static SignupActivity activity(long inserts, long live, int failingAfter) {
        SignupCounters then = new SignupCounters(100, 0, 90, 4, 1, START, java.util.Optional.empty());
        SignupLedger ledger = new SignupLedger(START.plusSeconds(60), then, 0, START, java.util.Optional.empty(), 0,
                false);
        return SignupActivity.between(java.util.Optional.of(ledger), new SignupCounters(100 + inserts, 0, 90 + live,
                4, 1, START, java.util.Optional.empty()), START.plusSeconds(120), failingAfter);
    }

    @Test
    void signupAttemptsAreOneSeriesPerOutcomeAndFailingIsItsOwnGauge() {
        RunMetrics m = RunMetrics.of(outcome(withSignups(activity(5, 2, 3))));
        assertThat(m.values().get(Metric.SIGNUP_ATTEMPTS_COMMITTED)).isEqualTo(2.0);
        assertThat(m.values().get(Metric.SIGNUP_ATTEMPTS_ROLLED_BACK)).isEqualTo(3.0);
        assertThat(m.values().get(Metric.SIGNUPS_FAILING)).isZero();
        assertThat(RunMetrics.of(outcome(withSignups(activity(3, 0, 3)))).values().get(Metric.SIGNUPS_FAILING))
                .isEqualTo(1.0);

        String text = PrometheusText.render(m);
        assertThat(text).containsOnlyOnce("# TYPE ghostwatch_signup_attempts gauge")
                .contains("ghostwatch_signup_attempts{outcome=\"committed\"} 2\n")
                .contains("ghostwatch_signup_attempts{outcome=\"rolled_back\"} 3\n");
    }

    @Test
    void anIntervalThatCouldNotBeSplitHasNoAttemptSeries() {
        SignupActivity first = SignupActivity.between(java.util.Optional.empty(), new SignupCounters(1, 0, 1, 0, 1,
                START, java.util.Optional.empty()), START, 3);

        RunMetrics m = RunMetrics.of(outcome(withSignups(first)));

        assertThat(m.values()).doesNotContainKeys(Metric.SIGNUP_ATTEMPTS_COMMITTED, Metric.SIGNUP_ATTEMPTS_ROLLED_BACK);
        assertThat(m.values().get(Metric.SIGNUPS_FAILING)).isZero();
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

    @Test
    void aCompletedRunExportsEachFindingOnceAndAFailedRunNone() {
        RunMetrics m = RunMetrics.of(outcome(Snapshots.healthy().ghosts(7, 0).orphans(1, 0).tgenabled("D").build()));

        assertThat(m.findings()).extracting(FindingSeries::code).containsExactly("trigger_disabled",
                "ghost_users_many", "orphaned_profiles");
        assertThat(m.findings().get(0)).isEqualTo(new FindingSeries("trigger_disabled", "P0", "Step 3A"));
        assertThat(PrometheusText.render(m)).containsOnlyOnce("# TYPE ghostwatch_finding gauge")
                .contains("ghostwatch_finding{code=\"trigger_disabled\",priority=\"P0\",step=\"Step 3A\"} 1\n")
                .contains("ghostwatch_finding{code=\"orphaned_profiles\",priority=\"P2\",step=\"Scenario 4\"} 1\n");
        assertThat(RunMetrics.of(outcome(Snapshots.healthy().build())).findings()).isEmpty();
        assertThat(PrometheusText.render(RunMetrics.of(outcome(Snapshots.healthy().build()))))
                .doesNotContain("ghostwatch_finding");
        assertThat(RunMetrics.failed(Instant.EPOCH, Duration.ZERO).findings()).isEmpty();
    }

    @Test
    void findingLabelValuesAreEscaped() {
        RunMetrics m = new RunMetrics(java.util.Map.of(), true,
                java.util.List.of(new FindingSeries("c", "P0", "Step \"3\" \\ x")));

        assertThat(PrometheusText.render(m)).contains("step=\"Step \\\"3\\\" \\\\ x\"} 1");
    }

    @Test
    void otherContractsAreSeriesByContractAndOneThatCouldNotBeReadHasNone() {
        io.ghostwatch.path.DeclaredContract onboarding = new io.ghostwatch.path.DeclaredContract("onboarding",
                io.ghostwatch.sql.QualifiedName.parse("public.onboarding_steps"),
                io.ghostwatch.sql.Identifier.of("user_id"), Duration.ofMinutes(15));
        io.ghostwatch.path.DeclaredContract gone = new io.ghostwatch.path.DeclaredContract("gone",
                io.ghostwatch.sql.QualifiedName.parse("public.gone"), io.ghostwatch.sql.Identifier.of("user_id"),
                Duration.ZERO);
        io.ghostwatch.path.WriteWatch settings = new io.ghostwatch.path.WriteWatch("public.user_settings",
                io.ghostwatch.path.Condition.ALWAYS, 130, 90, java.util.Optional.of(100L),
                java.util.Optional.of(Instant.parse("2026-11-25T01:00:00Z")));
        io.ghostwatch.path.WriteWatch conditional = new io.ghostwatch.path.WriteWatch("public.subscriptions",
                new io.ghostwatch.path.Condition("flag", java.util.Optional.empty(), java.util.Optional.of("x")),
                130, 90, java.util.Optional.of(100L), java.util.Optional.empty());
        Evidence e = new Evidence(Snapshots.healthy().build(), java.util.Optional.empty(), java.util.List.of(),
                java.util.Optional.empty(), java.util.List.of(), java.util.Optional.empty(),
                java.util.List.of(settings, conditional), java.util.List.of(
                new io.ghostwatch.path.ContractRows(io.ghostwatch.path.TableContract.declared(onboarding), 2, java.util.Optional.empty(), java.util.List.of(),
                        java.util.Optional.empty()),
                io.ghostwatch.path.ContractRows.unknown(io.ghostwatch.path.TableContract.declared(gone),
                        "relation does not exist")));

        RunMetrics m = RunMetrics.of(outcome(e));

        assertThat(m.contracts()).containsExactly(new ContractSeries("onboarding", 2),
                new ContractSeries("public.user_settings", 30));
        assertThat(PrometheusText.render(m)).contains("# TYPE ghostwatch_contract_missing_rows gauge\n"
                + "ghostwatch_contract_missing_rows{contract=\"onboarding\"} 2\n"
                + "ghostwatch_contract_missing_rows{contract=\"public.user_settings\"} 30\n")
                .doesNotContain("contract=\"gone\"").doesNotContain("public.subscriptions");
    }

    @Test
    void aTableCountedIdentityByIdentityExportsItsMissingRowsNotItsWriteRate() {
        io.ghostwatch.path.TableContract counted = new io.ghostwatch.path.TableContract("public.user_settings",
                "public", "user_settings", "user_id", Duration.ZERO, io.ghostwatch.path.Condition.ALWAYS,
                java.util.Optional.empty(), true, java.util.List.of("on_auth_user_created"));
        io.ghostwatch.path.WriteWatch watch = new io.ghostwatch.path.WriteWatch("public.user_settings",
                io.ghostwatch.path.Condition.ALWAYS, 130, 90, java.util.Optional.of(100L), java.util.Optional.empty());
        Evidence e = new Evidence(Snapshots.healthy().build(), java.util.Optional.empty(), java.util.List.of(),
                java.util.Optional.empty(), java.util.List.of(), java.util.Optional.empty(), java.util.List.of(watch),
                java.util.List.of(new io.ghostwatch.path.ContractRows(counted, 4, java.util.Optional.empty(),
                        java.util.List.of(), java.util.Optional.empty())));

        assertThat(RunMetrics.of(outcome(e)).contracts())
                .containsExactly(new ContractSeries("public.user_settings", 4));
    }
}
