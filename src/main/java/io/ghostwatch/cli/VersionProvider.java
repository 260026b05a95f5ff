package io.ghostwatch.cli;

import org.eclipse.microprofile.config.ConfigProvider;
import picocli.CommandLine;

/** {@code --version}: the application version Quarkus was built with. */
public class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"ghostwatch " + ConfigProvider.getConfig()
                .getOptionalValue("quarkus.application.version", String.class).orElse("unknown")};
    }
}
