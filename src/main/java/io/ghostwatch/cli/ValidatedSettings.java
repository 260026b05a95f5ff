package io.ghostwatch.cli;

import io.ghostwatch.config.InvalidConfigurationException;
import io.ghostwatch.config.Settings;
import io.ghostwatch.run.CheckService;

import java.io.PrintWriter;
import java.util.Optional;

/** Every command starts here: the validated settings, or one line naming each bad key (the caller exits 2). */
final class ValidatedSettings {

    private ValidatedSettings() {
    }

    static Optional<Settings> load(CheckService checks, PrintWriter err, boolean verbose) {
        try {
            return Optional.of(checks.settings());
        } catch (InvalidConfigurationException e) {
            Errors.print(err, "configuration error: " + String.join("; ", e.problems()), e, verbose);
            return Optional.empty();
        }
    }
}
