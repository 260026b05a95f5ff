package io.ghostwatch.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.ghostwatch.testing.RepoFiles;
import io.ghostwatch.testing.StrictKubernetes;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every manifest under k8s/ is a valid Kubernetes or Prometheus Operator object, strictly (a misspelled field
 * fails), every kustomization names files that exist, and the CronJob is the hardened one DESIGN.md asks for.
 */
class KubernetesManifestsTest {

    /** Files under k8s/ that are not Kubernetes objects: Prometheus, Alertmanager and promtool inputs. */
    private static boolean isManifest(Path p) {
        String name = p.getFileName().toString();
        return name.endsWith(".yaml") && !name.equals("kustomization.yaml") && !name.equals("ghostwatch-rules.yaml")
                && !name.equals("alertmanager.yaml") && !p.toString().contains("/tests/");
    }

    static List<Path> manifests() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("k8s"))) {
            return files.filter(Files::isRegularFile).filter(KubernetesManifestsTest::isManifest)
                    .sorted().toList();
        }
    }

    @Test
    void everyManifestValidatesStrictly() throws IOException {
        List<Path> files = manifests();
        assertThat(files).hasSize(10);
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            for (JsonNode doc : StrictKubernetes.documents(Files.readString(file))) {
                StrictKubernetes.problems(doc).forEach(p -> problems.add(file + ": " + p));
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void aMisspelledOrUnknownFieldFails() throws IOException {
        String cronjob = Files.readString(Path.of("k8s/cronjob.yaml"));
        String bogus = cronjob.replace("              imagePullPolicy: IfNotPresent",
                "              imagePullPolicy: IfNotPresent\n              bogusField: 1");
        String typo = cronjob.replace("concurrencyPolicy: Forbid", "concurencyPolicy: Forbid");
        String wrongType = cronjob.replace("backoffLimit: 0", "backoffLimit: once");

        assertThat(bogus).isNotEqualTo(cronjob);
        assertThat(StrictKubernetes.problems(StrictKubernetes.documents(bogus).get(0)))
                .singleElement().asString().contains("containers[0]").contains("bogusField");
        assertThat(StrictKubernetes.problems(StrictKubernetes.documents(typo).get(0)))
                .singleElement().asString().contains("concurencyPolicy");
        assertThat(StrictKubernetes.problems(StrictKubernetes.documents(wrongType).get(0))).isNotEmpty();
        String rule = Files.readString(Path.of("k8s/monitoring/prometheusrule.yaml"));
        assertThat(StrictKubernetes.problems(StrictKubernetes.documents(rule.replace("    - name: ghostwatch.severity",
                "    - name: ghostwatch.severity\n      intervall: 1m")).get(0))).singleElement().asString()
                .contains("intervall");
    }

    @Test
    void kustomizationsNameExistingResources() {
        for (String k : List.of("k8s/kustomization.yaml", "k8s/serve/kustomization.yaml",
                "k8s/common/kustomization.yaml", "k8s/monitoring/kustomization.yaml")) {
            Path dir = Path.of(k).getParent();
            RepoFiles.yaml(k).get("resources").forEach(r ->
                    assertThat(dir.resolve(r.asText())).as(k + " -> " + r.asText()).exists());
        }
    }

    @Test
    void theCronJobIsHardened() {
        JsonNode cron = RepoFiles.yaml("k8s/cronjob.yaml");
        JsonNode job = cron.at("/spec/jobTemplate/spec");
        JsonNode pod = job.at("/template/spec");
        JsonNode container = pod.at("/containers/0");

        assertThat(cron.at("/spec/schedule").asText()).isEqualTo("* * * * *");
        assertThat(cron.at("/spec/concurrencyPolicy").asText()).isEqualTo("Forbid");
        assertThat(cron.at("/spec/startingDeadlineSeconds").asInt()).isPositive();
        assertThat(job.get("activeDeadlineSeconds").asInt()).isPositive();
        assertThat(job.get("ttlSecondsAfterFinished").asInt()).isPositive();
        assertThat(pod.get("automountServiceAccountToken").asBoolean()).isFalse();
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.at("/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
        assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean()).isFalse();
        assertThat(container.at("/securityContext/capabilities/drop/0").asText()).isEqualTo("ALL");
        // One set of measured figures: the plain manifests carry the chart's (SoakIT holds the limit to them).
        assertThat(container.get("resources"))
                .isEqualTo(RepoFiles.yaml("helm/ghostwatch/values.yaml").get("resources"));
        assertThat(container.get("args").get(0).asText()).isEqualTo("check");
    }
}
