package io.ghostwatch.monitoring;

import io.ghostwatch.testing.Ghostwatch;
import io.ghostwatch.testing.PrometheusTools;
import io.ghostwatch.testing.RequiresTools;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The rule file with Debian's real promtool: syntax and the unit tests of every severity-table row. */
@RequiresTools({"promtool"})
class AlertRulesTest {

    @Test
    void promtoolAcceptsTheRules() {
        Ghostwatch.Result r = PrometheusTools.promtool(null, "check", "rules", "k8s/monitoring/ghostwatch-rules.yaml");

        assertThat(r.exitCode()).as(r.stdout()).isZero();
        assertThat(r.stdout()).contains("SUCCESS: 17 rules found");
    }

    @Test
    void promtoolUnitTestsOfTheSeverityTableEscalationAndStalenessPass() {
        Ghostwatch.Result r = PrometheusTools.promtool(null, "test", "rules",
                "k8s/monitoring/tests/ghostwatch-rules.test.yaml");

        assertThat(r.exitCode()).as(r.stdout()).isZero();
        assertThat(r.stdout()).contains("SUCCESS");
    }

    @Test
    void aBrokenRuleMakesThePromtoolTestsFail() throws Exception {
        // The unit tests must be able to fail: change the P0 threshold from 5 to 6 and run them again.
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("rules");
        java.nio.file.Path tests = dir.resolve("tests");
        java.nio.file.Files.createDirectories(tests);
        String rules = java.nio.file.Files.readString(java.nio.file.Path.of("k8s/monitoring/ghostwatch-rules.yaml"));
        assertThat(rules).contains("ghostwatch_ghost_users > 5 or");
        java.nio.file.Files.writeString(dir.resolve("ghostwatch-rules.yaml"),
                rules.replace("ghostwatch_ghost_users > 5 or", "ghostwatch_ghost_users > 6 or"));
        // Only the first test (5 and 6 ghosts): the 8-day stalled-signups test would add seconds for nothing.
        com.fasterxml.jackson.databind.node.ObjectNode file = (com.fasterxml.jackson.databind.node.ObjectNode)
                io.ghostwatch.testing.RepoFiles.yaml("k8s/monitoring/tests/ghostwatch-rules.test.yaml").deepCopy();
        com.fasterxml.jackson.databind.JsonNode first = file.get("tests").get(0);
        file.putArray("tests").add(first);
        java.nio.file.Files.writeString(tests.resolve("ghostwatch-rules.test.yaml"),
                io.ghostwatch.testing.RepoFiles.yamlText(file));

        Ghostwatch.Result r = PrometheusTools.promtool(null, "test", "rules",
                tests.resolve("ghostwatch-rules.test.yaml").toString());

        assertThat(r.exitCode()).isNotZero();
        assertThat(r.stdout()).contains("FAILED").contains("GhostUsersCritical");
    }
}
