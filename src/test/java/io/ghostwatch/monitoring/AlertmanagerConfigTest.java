package io.ghostwatch.monitoring;

import io.ghostwatch.testing.Ghostwatch;
import io.ghostwatch.testing.PrometheusTools;
import io.ghostwatch.testing.RequiresTools;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The example Alertmanager routing with Debian's real amtool. */
@RequiresTools({"amtool"})
class AlertmanagerConfigTest {

    private static final String CONFIG = "--config.file=k8s/monitoring/alertmanager.yaml";

    @Test
    void amtoolAcceptsTheConfig() {
        Ghostwatch.Result r = PrometheusTools.amtool("check-config", "k8s/monitoring/alertmanager.yaml");

        assertThat(r.exitCode()).as(r.stdout()).isZero();
        assertThat(r.stdout()).contains("SUCCESS").contains("1 inhibit rules");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "alertname=GhostUsersCritical priority=P0 severity=critical target=prod | pager,slack-incidents",
        "alertname=UserSyncTriggerDown priority=P0 severity=critical target=prod | pager,slack-incidents",
        "alertname=GhostUsersDetected priority=P1 severity=warning target=prod | slack-incidents",
        "alertname=OrphanedProfiles priority=P2 severity=info target=prod | slack-data-quality",
        "alertname=UserSyncUnresolvedEscalation priority=P0 escalation=true target=prod | escalation",
        "alertname=UserSyncUnresolvedEscalation priority=P1 escalation=true target=prod | escalation",
        "alertname=GhostwatchCheckStale severity=warning target=prod | slack-incidents",
        "alertname=GhostwatchDatabaseUnreachable severity=warning target=prod | slack-incidents"})
    void eachPriorityReachesItsReceivers(String labels, String receivers) {
        String[] args = ("config routes test " + CONFIG + " " + labels).split(" ");

        Ghostwatch.Result r = PrometheusTools.amtool(args);

        assertThat(r.exitCode()).as(r.stdout()).isZero();
        assertThat(r.stdout().lines().filter(l -> !l.startsWith("Warning")).findFirst().orElse(""))
                .isEqualTo(receivers);
    }

    @Test
    void aP0InhibitsThatTargetsP1AndP2() {
        com.fasterxml.jackson.databind.JsonNode inhibit = io.ghostwatch.testing.RepoFiles
                .yaml("k8s/monitoring/alertmanager.yaml").at("/inhibit_rules/0");

        assertThat(inhibit.at("/source_matchers/0").asText()).isEqualTo("priority=\"P0\"");
        assertThat(inhibit.at("/target_matchers/0").asText()).isEqualTo("priority=~\"P1|P2\"");
        assertThat(inhibit.at("/equal/0").asText()).isEqualTo("target");
        // The behaviour itself is proven against a running Alertmanager in AlertingEndToEndIT.
    }
}
