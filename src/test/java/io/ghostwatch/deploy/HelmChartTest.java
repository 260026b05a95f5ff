package io.ghostwatch.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.ghostwatch.testing.ConfigKeys;
import io.ghostwatch.testing.RepoFiles;
import io.ghostwatch.testing.StrictKubernetes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Helm chart, linted and rendered by a real Helm engine (helm-java), for each shape in its ci/ folder. */
class HelmChartTest {

    private static final Path CHART = Path.of("helm/ghostwatch");

    private static List<JsonNode> render(String valuesFile) {
        var template = new Helm(CHART).template().withName("gw").withNamespace("monitoring");
        if (valuesFile != null) {
            template.withValuesFile(CHART.resolve(valuesFile));
        }
        return StrictKubernetes.documents(template.call());
    }

    private static List<JsonNode> ofKind(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
    }

    private static Map<String, String> env(JsonNode podSpec) {
        Map<String, String> env = new java.util.TreeMap<>();
        podSpec.at("/containers/0/env").forEach(e -> env.put(e.get("name").asText(), e.path("value").asText()));
        return env;
    }

    private static JsonNode cronPod(JsonNode cronJob) {
        return cronJob.at("/spec/jobTemplate/spec/template/spec");
    }

    @Test
    void helmLintStrictPasses() {
        LintResult lint = new Helm(CHART).lint().strict().call();

        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", "ci/one-target-values.yaml", "ci/several-targets-values.yaml",
        "ci/serve-values.yaml", "ci/everything-values.yaml"})
    void everyRenderedDocumentValidatesStrictlyAndConfiguresOnlyRealKeys(String values) {
        List<JsonNode> docs = render(values.isEmpty() ? null : values);
        Set<String> known = ConfigKeys.environmentVariables();

        assertThat(docs).isNotEmpty();
        List<String> problems = new ArrayList<>();
        Set<String> used = new TreeSet<>();
        for (JsonNode doc : docs) {
            problems.addAll(StrictKubernetes.problems(doc));
            doc.findValues("env").forEach(list -> list.forEach(e -> used.add(e.get("name").asText())));
            if (doc.path("kind").asText().equals("Secret")) {
                doc.get("stringData").fieldNames().forEachRemaining(used::add);
            }
        }
        assertThat(problems).isEmpty();
        assertThat(known).containsAll(used);
        assertThat(used).contains("GHOSTWATCH_TARGET");
    }

    @Test
    void oneTargetIsOneHardenedCronJobWithItsSecret() {
        List<JsonNode> docs = render("ci/one-target-values.yaml");
        JsonNode cron = ofKind(docs, "CronJob").get(0);
        JsonNode pod = cronPod(cron);

        assertThat(ofKind(docs, "CronJob")).hasSize(1);
        assertThat(cron.at("/metadata/name").asText()).isEqualTo("gw-ghostwatch-prod");
        assertThat(cron.at("/spec/concurrencyPolicy").asText()).isEqualTo("Forbid");
        assertThat(pod.at("/containers/0/args/0").asText()).isEqualTo("check");
        assertThat(env(pod)).containsEntry("GHOSTWATCH_TARGET", "prod")
                .containsEntry("GHOSTWATCH_PUSHGATEWAY_URL", "http://pushgateway.monitoring.svc:9091")
                .containsEntry("GHOSTWATCH_POLICY_P0_COUNT", "5");
        assertThat(pod.at("/containers/0/envFrom/0/secretRef/name").asText()).isEqualTo("gw-ghostwatch-prod");
        assertThat(pod.get("automountServiceAccountToken").asBoolean()).isFalse();
        assertThat(pod.at("/containers/0/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        JsonNode secret = ofKind(docs, "Secret").get(0);
        assertThat(secret.at("/stringData/QUARKUS_DATASOURCE_JDBC_URL").asText())
                .isEqualTo("jdbc:postgresql://db.prod.internal:5432/postgres?sslmode=require");
        assertThat(ofKind(docs, "PrometheusRule")).isEmpty();
    }

    @Test
    void severalTargetsFanOutEachWithItsOwnSecretScheduleAndSettings() {
        List<JsonNode> docs = render("ci/several-targets-values.yaml");
        List<JsonNode> crons = ofKind(docs, "CronJob");

        assertThat(crons).extracting(c -> c.at("/metadata/name").asText())
                .containsExactly("gw-ghostwatch-eu", "gw-ghostwatch-us", "gw-ghostwatch-staging");
        JsonNode us = crons.get(1);
        assertThat(us.at("/spec/schedule").asText()).isEqualTo("*/10 * * * *");
        assertThat(crons.get(0).at("/spec/schedule").asText()).isEqualTo("* * * * *");
        assertThat(us.at("/metadata/labels/team").asText()).isEqualTo("growth");
        assertThat(env(cronPod(us))).containsEntry("GHOSTWATCH_PROFILE_TABLE", "public.profiles")
                .containsEntry("GHOSTWATCH_TARGET", "us");
        assertThat(cronPod(us).at("/containers/0/envFrom/0/secretRef/name").asText()).isEqualTo("ghostwatch-us-db");
        assertThat(ofKind(docs, "Secret")).extracting(s -> s.at("/metadata/name").asText())
                .containsExactly("gw-ghostwatch-eu", "gw-ghostwatch-staging");
        assertThat(ofKind(docs, "Secret").get(0).at("/stringData/GHOSTWATCH_NOTIFY_WEBHOOK_SECRET").asText())
                .isEqualTo("hmac-key");
    }

    @Test
    void serveModeIsADeploymentWithProbesAServiceAndAServiceMonitor() {
        List<JsonNode> docs = render("ci/serve-values.yaml");
        JsonNode pod = ofKind(docs, "Deployment").get(0).at("/spec/template/spec");

        assertThat(ofKind(docs, "CronJob")).isEmpty();
        assertThat(pod.at("/containers/0/args/0").asText()).isEqualTo("serve");
        assertThat(pod.at("/containers/0/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
        assertThat(pod.at("/containers/0/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
        assertThat(env(pod)).containsEntry("QUARKUS_HTTP_PORT", "8080").containsKey("GHOSTWATCH_SCHEDULE")
                .doesNotContainKey("GHOSTWATCH_PUSHGATEWAY_URL");
        assertThat(ofKind(docs, "Service")).hasSize(1);
        assertThat(ofKind(docs, "ServiceMonitor").get(0).at("/spec/endpoints/0/path").asText())
                .isEqualTo("/q/metrics");
    }

    @Test
    void rulesAndDashboardComeFromTheSingleSources() throws IOException {
        List<JsonNode> docs = render("ci/everything-values.yaml");

        assertThat(ofKind(docs, "PrometheusRule").get(0).at("/spec/groups"))
                .isEqualTo(RepoFiles.yaml("k8s/monitoring/ghostwatch-rules.yaml").get("groups"));
        JsonNode dashboards = ofKind(docs, "ConfigMap").stream()
                .filter(c -> c.at("/metadata/labels/grafana_dashboard").asText().equals("1")).findFirst().orElseThrow();
        assertThat(new ObjectMapper().readTree(dashboards.at("/data/ghostwatch.json").asText()))
                .isEqualTo(RepoFiles.json("k8s/monitoring/grafana-dashboard.json"));
        assertThat(ofKind(docs, "NetworkPolicy")).hasSize(1);
        assertThat(Files.readString(CHART.resolve("files/ghostwatch-rules.yaml")))
                .isEqualTo(Files.readString(Path.of("k8s/monitoring/ghostwatch-rules.yaml")));
    }

    @Test
    void pushgatewayCredentialsLiveInASecretNeverInThePodSpec() {
        var inline = new Helm(CHART).template().withName("gw").withNamespace("monitoring")
                .withValuesFile(CHART.resolve("ci/one-target-values.yaml"))
                .set("pushgatewayAuth.username", "pusher").set("pushgatewayAuth.password", "push-s3cret");
        List<JsonNode> docs = StrictKubernetes.documents(inline.call());
        JsonNode secret = ofKind(docs, "Secret").get(0);
        assertThat(secret.at("/stringData/GHOSTWATCH_PUSHGATEWAY_USERNAME").asText()).isEqualTo("pusher");
        assertThat(secret.at("/stringData/GHOSTWATCH_PUSHGATEWAY_PASSWORD").asText()).isEqualTo("push-s3cret");
        assertThat(ofKind(docs, "CronJob").get(0).toString()).doesNotContain("push-s3cret");

        var existing = new Helm(CHART).template().withName("gw").withNamespace("monitoring")
                .withValuesFile(CHART.resolve("ci/one-target-values.yaml"))
                .set("pushgatewayAuth.existingSecret", "pushgateway-basic-auth");
        List<JsonNode> withSecret = StrictKubernetes.documents(existing.call());
        assertThat(cronPod(ofKind(withSecret, "CronJob").get(0)).at("/containers/0/envFrom").findValuesAsText("name"))
                .containsExactly("gw-ghostwatch-prod", "pushgateway-basic-auth");
        assertThat(ofKind(withSecret, "Secret").get(0).at("/stringData").has("GHOSTWATCH_PUSHGATEWAY_USERNAME"))
                .isFalse();

        // A target whose Secret the operator brings gets no chart Secret: inline credentials would vanish.
        assertThatThrownBy(() -> new Helm(CHART).template()
                .withValuesFile(CHART.resolve("ci/several-targets-values.yaml"))
                .set("pushgatewayAuth.bearerToken", "t0ken").call())
                .hasMessageContaining("pushgatewayAuth.existingSecret");
    }

    @Test
    void theSchemaRejectsBadValues() {
        assertThatThrownBy(() -> new Helm(CHART).template().set("schedule", 5).call())
                .hasMessageContaining("schedule");
        assertThatThrownBy(() -> new Helm(CHART).template().set("cronjob.activeDeadlineSeconds", -1).call())
                .hasMessageContaining("activeDeadlineSeconds");
        assertThatThrownBy(() -> new Helm(CHART).template()
                .withValuesFile(Path.of("src/test/resources/helm/target-without-name.yaml")).call())
                .hasMessageContaining("name");
        assertThatThrownBy(() -> new Helm(CHART).template().set("mode", "daemon").call())
                .hasMessageContaining("mode");
    }
}
