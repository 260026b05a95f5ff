package io.ghostwatch.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import picocli.CommandLine;

import java.util.Arrays;

/**
 * Entry point. Quarkus converts configuration before any command runs; a value it cannot convert (a bad
 * identifier, an unreadable duration) ends start-up, and the exit handler here turns that into one line on
 * stderr and exit code 2 instead of a stack trace and 1.
 */
@QuarkusMain
public class Main implements QuarkusApplication {

    @Inject
    CommandLine.IFactory factory;

    public static void main(String... args) {
        // Only the long-running mode listens on a port; a CronJob's check has no business opening 8080.
        if (firstCommand(args).equals("serve")) {
            System.setProperty("quarkus.http.host-enabled", "true");
        }
        Quarkus.run(Main.class, (code, failure) -> {
            if (failure != null) {
                Errors.print(System.err, Errors.describeStartupFailure(failure), failure, verbose(args));
                System.exit(ExitCodes.CANNOT_CHECK);
            }
            System.exit(code);
        }, args);
    }

    @Override
    public int run(String... args) {
        CommandLine commandLine = new CommandLine(GhostwatchCommand.class, factory)
                .setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler((failure, cmd, parsed) -> {
            Errors.print(cmd.getErr(), "unexpected failure: " + failure, failure, verbose(args));
            return ExitCodes.CANNOT_CHECK;
        });
        return commandLine.execute(args);
    }

    private static String firstCommand(String[] args) {
        return Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().orElse("");
    }

    private static boolean verbose(String[] args) {
        return Arrays.asList(args).contains("--verbose") || Arrays.asList(args).contains("-v");
    }
}
