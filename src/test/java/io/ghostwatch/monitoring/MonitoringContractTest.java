package io.ghostwatch.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import io.ghostwatch.metrics.ContractSeries;
import io.ghostwatch.metrics.FindingSeries;
import io.ghostwatch.metrics.Metric;
import io.ghostwatch.testing.RepoFiles;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The monitoring files cannot drift from each other or from what ghostwatch exports: the PrometheusRule holds
 * the rule file's groups, every metric the rules and the dashboard read is exported, every exported series is
 * on the dashboard, and every alert says what, why and where the runbook is.
 */
class MonitoringContractTest {

    private static final Pattern METRIC = Pattern.compile("\\bghostwatch_[a-z_]+\\b");
    private static final JsonNode RULES = RepoFiles.yaml("k8s/monitoring/ghostwatch-rules.yaml");

    private static Set<String> exported() {
        Set<String> names = Arrays.stream(Metric.values()).map(Metric::prometheusName).collect(Collectors.toSet());
        names.add(FindingSeries.NAME);
        names.add(ContractSeries.NAME);
        return names;
    }

    private static List<JsonNode> alerts() {
        List<JsonNode> alerts = new ArrayList<>();
        RULES.get("groups").forEach(g -> g.get("rules").forEach(alerts::add));
        return alerts;
    }

    private static Set<String> metricsIn(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(text);
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }

    @Test
    void thePrometheusRuleHoldsExactlyTheRuleFilesGroups() {
        JsonNode rule = RepoFiles.yaml("k8s/monitoring/prometheusrule.yaml");

        assertThat(rule.get("kind").asText()).isEqualTo("PrometheusRule");
        assertThat(rule.get("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(rule.at("/spec/groups")).isEqualTo(RULES.get("groups"));
    }

    @Test
    void designsAlertsExistWithTheirPriorityAndSeverity() {
        assertThat(alerts()).extracting(a -> a.get("alert").asText() + "/" + a.at("/labels/priority").asText("-")
                + "/" + a.at("/labels/severity").asText()).contains(
                "UserSyncTriggerDown/P0/critical", "GhostUsersCritical/P0/critical",
                "GhostUsersDetected/P1/warning", "OrphanedProfiles/P2/info", "SignupCanaryFailing/P0/critical", "SignupsStalled/P0/critical",
                "SignupsFailing/P0/critical", "SignupsBlocked/P0/critical",
                "GhostwatchCheckStale/-/warning", "GhostwatchDatabaseUnreachable/-/warning",
                "UserSyncUnresolvedEscalation/P0/critical", "UserSyncUnresolvedEscalation/P1/warning",
                "UserSyncFinding/P0/critical", "UserSyncFinding/P1/warning", "UserSyncFinding/P2/info",
                "ContractRowsMissing/P0/critical", "ContractRowsMissing/P1/warning");
    }

    @Test
    void everyAlertHasSummaryDescriptionRunbookAndKeepsTheTargetLabel() {
        for (JsonNode alert : alerts()) {
            String name = alert.get("alert").asText();
            assertThat(alert.at("/annotations/summary").asText()).as(name).contains("{{ $labels.target }}");
            assertThat(alert.at("/annotations/description").asText()).as(name).isNotBlank();
            assertThat(alert.at("/annotations/runbook_url").asText()).as(name).startsWith("https://");
            // No aggregation: every alert keeps the series' target label.
            assertThat(alert.get("expr").asText()).as(name)
                    .doesNotContainPattern("\\b(sum|max|min|avg|count|topk|bottomk)\\s*(by|without)?\\s*\\(");
        }
    }

    @Test
    void everyMetricTheRulesReadIsExported() {
        Set<String> used = new TreeSet<>();
        alerts().forEach(a -> used.addAll(metricsIn(a.get("expr").asText())));

        assertThat(used).isNotEmpty();
        assertThat(exported()).containsAll(used);
    }

    @Test
    void theDashboardReadsOnlyExportedMetricsAndShowsEveryOne() {
        JsonNode dashboard = RepoFiles.json("k8s/monitoring/grafana-dashboard.json");
        Set<String> used = metricsIn(dashboard.toString());

        assertThat(exported()).containsAll(used);
        assertThat(used).containsAll(exported());
        List<String> variables = new ArrayList<>();
        dashboard.at("/templating/list").forEach(v -> variables.add(v.get("name").asText()));
        assertThat(variables).containsExactly("datasource", "target");
        dashboard.get("panels").forEach(p -> p.get("targets").forEach(t ->
                assertThat(t.get("expr").asText()).as(p.get("title").asText()).contains("target=~\"$target\"")));
        assertThat(dashboard.at("/annotations/list/0/expr").asText()).contains("ghostwatch_priority");
    }

    @Test
    void pagesWaitForNothing() {
        // A run's gauges change only when it ends: a `for` on a P0 would filter nothing and delay every page.
        for (JsonNode group : RULES.get("groups")) {
            String name = group.get("name").asText();
            if (!name.equals("ghostwatch.severity") && !name.equals("ghostwatch.findings")) {
                continue;
            }
            assertThat(group.get("interval").asText()).as(name + " evaluates on its own short interval")
                    .isEqualTo("15s");
            group.get("rules").forEach(r -> {
                if (r.at("/labels/priority").asText().equals("P0")) {
                    assertThat(r.has("for")).as(r.get("alert").asText() + " at P0 has no for").isFalse();
                }
            });
        }
    }
}
