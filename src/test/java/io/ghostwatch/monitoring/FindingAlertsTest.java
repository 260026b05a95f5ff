package io.ghostwatch.monitoring;

import io.ghostwatch.canary.CanaryResult;
import io.ghostwatch.judge.Evidence;
import io.ghostwatch.judge.FindingCode;
import io.ghostwatch.judge.Judge;
import io.ghostwatch.judge.Policy;
import io.ghostwatch.metrics.FindingSeries;
import io.ghostwatch.metrics.Metric;
import io.ghostwatch.metrics.RunMetrics;
import io.ghostwatch.run.CheckOutcome;
import io.ghostwatch.run.DatabaseLocation;
import io.ghostwatch.signups.SignupActivity;
import io.ghostwatch.signups.SignupCounters;
import io.ghostwatch.signups.SignupLedger;
import io.ghostwatch.snapshot.TargetSchema;
import io.ghostwatch.testing.Ghostwatch;
import io.ghostwatch.testing.PrometheusTools;
import io.ghostwatch.testing.RepoFiles;
import io.ghostwatch.testing.RequiresTools;
import io.ghostwatch.testing.Snapshots;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every finding the code can make pages at its priority: a {@code promtool test rules} file generated from the
 * code's own list of finding codes ({@link FindingCode#all()}), run by Debian's real promtool against the shipped
 * rule file. Each code at each priority gets a target of its own whose series are what a healthy run exports
 * (from {@link RunMetrics#of}) plus that one {@code ghostwatch_finding} series; exactly one alert of that priority
 * must fire for it and no other (so a P2 never pages P0, and a code a table rule covers does not page twice), a
 * P0 at the first evaluation that sees it. A code added later is in the list, so it cannot be silent.
 */
@RequiresTools({"promtool"})
class FindingAlertsTest {

    private static final List<String> PRIORITIES = List.of("P0", "P1", "P2", "OK");
    private static final Path RULES = RepoFiles.path("k8s/monitoring/ghostwatch-rules.yaml");

    @Test
    void everyFindingCodeAtEveryPriorityFiresExactlyOneAlertOfThatPriority() throws IOException {
        assertThat(FindingCode.all()).contains("trigger_disabled", "signups_blocked", "cause_read_only_mode",
                "cause_function_column_missing").doesNotHaveDuplicates();

        Ghostwatch.Result r = promtoolTest(Files.readString(RULES));

        assertThat(r.exitCode()).as(r.stdout()).isZero();
        assertThat(r.stdout()).contains("SUCCESS");
    }

    @Test
    void aCodeTheRulesLeaveOutMakesTheGeneratedTestFail() throws IOException {
        // The P0 catch-all told to skip a cause that no table rule covers: that P0 would be silent.
        String rules = Files.readString(RULES);
        String catchAll = "ghostwatch_finding{priority=\"P0\", code!~\"trigger_missing|";
        assertThat(rules).containsOnlyOnce(catchAll);

        Ghostwatch.Result r = promtoolTest(rules.replace(catchAll, catchAll + "cause_read_only_mode|"));

        assertThat(r.exitCode()).isNotZero();
        assertThat(r.stdout()).contains("FAILED").contains("t-cause_read_only_mode-P0");
    }

    private static Ghostwatch.Result promtoolTest(String rules) throws IOException {
        Path dir = Files.createTempDirectory("finding-alerts");
        Files.writeString(dir.resolve("rules.yaml"), rules);
        Files.writeString(dir.resolve("findings.test.yaml"), generated());
        return PrometheusTools.promtool(null, "test", "rules", dir.resolve("findings.test.yaml").toString());
    }

    /** The test file: one target per code and priority, and what must fire for each at 0m and at 16m. */
    static String generated() {
        StringBuilder series = new StringBuilder();
        StringBuilder atOnce = new StringBuilder();
        StringBuilder atLast = new StringBuilder();
        Map<Metric, Double> healthy = healthyRun().values();
        for (String code : FindingCode.all()) {
            for (String priority : PRIORITIES) {
                String target = "t-" + code + "-" + priority;
                healthy.forEach((metric, value) -> series.append(baseline(metric, value, target)));
                series.append(line(FindingSeries.NAME + "{job=\"ghostwatch\",target=\"" + target + "\",code=\""
                        + code + "\",priority=\"" + priority + "\",step=\"Step 3C\"}", "1x20"));
                if (priority.equals("OK")) {
                    continue; // a note pages nobody
                }
                String sample = "          - labels: '{target=\"" + target + "\",priority=\"" + priority + "\"}'\n"
                        + "            value: 1\n";
                atLast.append(sample);
                if (priority.equals("P0")) {
                    atOnce.append(sample);
                }
            }
        }
        // Escalations are the runbook's 15-minute P0 repeat, not the page itself.
        String pages = "count by (target, priority) (ALERTS{alertstate=\"firing\", escalation!=\"true\"})";
        return """
                rule_files:
                  - rules.yaml
                evaluation_interval: 15s
                tests:
                  - interval: 1m
                    input_series:
                %s    promql_expr_test:
                      - expr: '%s'
                        eval_time: 0m
                        exp_samples:
                %s      - expr: '%s'
                        eval_time: 16m
                        exp_samples:
                %s""".formatted(series, pages, atOnce, pages, atLast);
    }

    /** A healthy run's series: constant, but times that advance (nothing is stale) and counters that grow. */
    private static String baseline(Metric metric, double value, String target) {
        String labels = "job=\"ghostwatch\",target=\"" + target + "\"" + metric.label()
                .map(l -> "," + l.getKey() + "=\"" + l.getValue() + "\"").orElse("");
        String name = metric.prometheusName() + "{" + labels + "}";
        if (metric.prometheusName().endsWith("_timestamp_seconds")) {
            return line(name, "0+60x20");
        }
        if (metric.counter()) {
            return line(name, "0+10x20");
        }
        return line(name, (long) value + "x20");
    }

    private static String line(String series, String values) {
        return "      - series: '" + series + "'\n        values: '" + values + "'\n";
    }

    /** What a run of a healthy database exports, the canary and the signup counts included. */
    private static RunMetrics healthyRun() {
        Instant start = Snapshots.NOW.minusSeconds(600);
        SignupCounters before = new SignupCounters(100, 0, 100, 0, 1, start, Optional.empty());
        SignupLedger ledger = new SignupLedger(start, before, 0, start, Optional.empty(), 0, false);
        SignupActivity signups = SignupActivity.between(Optional.of(ledger),
                new SignupCounters(110, 0, 110, 0, 1, start, Optional.empty()), Snapshots.NOW, 3);
        Evidence evidence = new Evidence(Snapshots.healthy().build(),
                Optional.of(new CanaryResult(CanaryResult.Outcome.PROFILE_CREATED, "")), List.of(),
                Optional.of(signups), List.of());
        CheckOutcome outcome = new CheckOutcome("healthy", new DatabaseLocation("db:5432", "app", "ghostwatch"),
                Snapshots.NOW, Snapshots.NOW, evidence, Judge.judge(evidence, Policy.DEFAULT,
                TargetSchema.supabaseDefaults()));
        RunMetrics run = RunMetrics.of(outcome);
        assertThat(run.findings()).as("a healthy run makes no finding").isEmpty();
        assertThat(run.values()).containsKeys(Metric.CANARY_SUCCESS, Metric.SIGNUPS_FAILING, Metric.SIGNUP_BLOCKERS,
                Metric.TRIGGER_ENABLED, Metric.GHOST_USERS, Metric.ORPHANED_PROFILES);
        return run;
    }
}
