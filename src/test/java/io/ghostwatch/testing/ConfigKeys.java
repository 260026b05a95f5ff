package io.ghostwatch.testing;

import io.ghostwatch.config.GhostwatchConfig;
import io.smallrye.config.ConfigMappings;

import java.util.Set;
import java.util.TreeSet;

/** The environment variable names that configure ghostwatch, from its configuration mapping itself. */
public final class ConfigKeys {

    /** Quarkus settings the deployment files set. */
    private static final Set<String> QUARKUS = Set.of("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME",
            "QUARKUS_DATASOURCE_PASSWORD", "QUARKUS_HTTP_PORT");

    private ConfigKeys() {
    }

    public static Set<String> environmentVariables() {
        Set<String> names = new TreeSet<>(QUARKUS);
        ConfigMappings.getProperties(ConfigMappings.ConfigClass.configClass(GhostwatchConfig.class, "ghostwatch"))
                .keySet().forEach(p -> names.add(p.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_")));
        return names;
    }
}
