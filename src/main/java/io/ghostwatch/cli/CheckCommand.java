package io.ghostwatch.cli;

import io.ghostwatch.config.InvalidConfigurationException;
import io.ghostwatch.config.Settings;
import io.ghostwatch.judge.Priority;
import io.ghostwatch.report.JsonReport;
import io.ghostwatch.report.OutputFormat;
import io.ghostwatch.report.TableReport;
import io.ghostwatch.run.CannotCheckException;
import io.ghostwatch.run.CheckOutcome;
import io.ghostwatch.run.CheckService;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code ghostwatch check}: one run of the runbook's quality checks. The report alone goes to stdout. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Run the runbook's quality checks once against the configured database and report.")
public class CheckCommand implements Callable<Integer> {

    /** {@code --fail-on} values: {@code none} never fails on findings. */
    public enum FailOn {
        none, P2, P1, P0;

        Optional<Priority> threshold() {
            return this == none ? Optional.empty() : Optional.of(Priority.valueOf(name()));
        }
    }

    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, defaultValue = "table",
            description = "Report format: table or json (default: ${DEFAULT-VALUE}). JSON schema: README.md.",
            converter = OutputFormatConverter.class)
    OutputFormat output;

    @Option(names = "--fail-on", defaultValue = "none",
            description = "Exit 1 when the priority is at or above this: ${COMPLETION-CANDIDATES}"
                    + " (default: ${DEFAULT-VALUE}).")
    FailOn failOn;

    @Option(names = {"-v", "--verbose"}, description = "Print stack traces with errors.")
    boolean verbose;

    @Inject
    CheckService checks;

    @Override
    public Integer call() {
        Settings settings;
        try {
            settings = checks.settings();
        } catch (InvalidConfigurationException e) {
            Errors.print(spec.commandLine().getErr(), "configuration error: " + String.join("; ", e.problems()),
                    e, verbose);
            return ExitCodes.CANNOT_CHECK;
        }
        CheckOutcome outcome;
        try {
            outcome = checks.check(settings);
        } catch (CannotCheckException e) {
            Errors.print(spec.commandLine().getErr(), "cannot check target " + settings.target() + ": "
                    + e.getMessage(), e, verbose);
            return ExitCodes.CANNOT_CHECK;
        }
        String report = output == OutputFormat.JSON ? JsonReport.render(outcome) : TableReport.render(outcome);
        spec.commandLine().getOut().print(report);
        spec.commandLine().getOut().flush();
        Priority priority = outcome.verdict().priority();
        boolean failing = failOn.threshold().map(priority::atLeast).orElse(false);
        return failing ? ExitCodes.FINDINGS : ExitCodes.OK;
    }

    /** Accepts {@code table} and {@code json} in any case. */
    static class OutputFormatConverter implements picocli.CommandLine.ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            return OutputFormat.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
        }
    }
}
