package io.ghostwatch.testing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a test class that needs a tool says when the tool is not installed. */
class ToolsCheckTest {

    @Test
    void aMissingToolIsOneLineNamingItsPackage() {
        assertThat(ToolsCheck.problem("SomeIT", "env")).as("/usr/bin/env is everywhere").isEmpty();
        assertThat(ToolsCheck.problem("SomeIT", "env", "gw-no-such-tool")).hasValue("SomeIT needs"
                + " gw-no-such-tool, not installed: apt-get install gw-no-such-tool (README: Development lists every"
                + " tool the tests run)");
        assertThat(ToolsCheck.PACKAGES).containsEntry("amtool", "prometheus-alertmanager")
                .containsEntry("promtool", "prometheus");
    }
}
