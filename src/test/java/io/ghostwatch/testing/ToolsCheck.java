package io.ghostwatch.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Fails a {@link RequiresTools} class before its tests when a tool is missing, naming the Debian package. */
public final class ToolsCheck implements BeforeAllCallback {

    /** Which Debian package ships each executable the tests run. */
    static final Map<String, String> PACKAGES = Map.of("promtool", "prometheus", "prometheus", "prometheus",
            "amtool", "prometheus-alertmanager", "prometheus-alertmanager", "prometheus-alertmanager",
            "prometheus-pushgateway", "prometheus-pushgateway", "pgbouncer", "pgbouncer");

    @Override
    public void beforeAll(ExtensionContext context) {
        RequiresTools needs = context.getRequiredTestClass().getAnnotation(RequiresTools.class);
        if (needs != null) {
            problem(context.getRequiredTestClass().getSimpleName(), needs.value()).ifPresent(p -> {
                throw new IllegalStateException(p);
            });
        }
    }

    /** One line naming the missing tools and the packages that ship them; empty when all are installed. */
    static java.util.Optional<String> problem(String testClass, String... tools) {
        List<String> missing = new ArrayList<>();
        Set<String> packages = new LinkedHashSet<>();
        for (String tool : tools) {
            if (PrometheusTools.find(tool).isEmpty()) {
                missing.add(tool);
                packages.add(PACKAGES.getOrDefault(tool, tool));
            }
        }
        return missing.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(testClass + " needs "
                + String.join(", ", missing) + ", not installed: apt-get install " + String.join(" ", packages)
                + " (README: Development lists every tool the tests run)");
    }
}
