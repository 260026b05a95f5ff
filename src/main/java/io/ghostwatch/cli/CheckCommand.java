package io.ghostwatch.cli;

import io.ghostwatch.config.Settings;
import io.ghostwatch.judge.Priority;
import io.ghostwatch.report.JsonReport;
import io.ghostwatch.report.OutputFormat;
import io.ghostwatch.report.TableReport;
import io.ghostwatch.output.OutputResult;
import io.ghostwatch.output.Outputs;
import io.ghostwatch.run.CheckCycle;
import io.ghostwatch.run.CheckService;
import io.ghostwatch.run.RunRecord;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code ghostwatch check}: one run of the runbook's quality checks (the CronJob). The report alone goes to
 * stdout; the run's series go to the Pushgateway when one is configured.
 */
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

    @Inject
    CheckCycle cycle;

    @Inject
    Outputs outputs;

    @Override
    public Integer call() {
        java.util.Optional<Settings> loaded = ValidatedSettings.load(checks, spec.commandLine().getErr(), verbose);
        if (loaded.isEmpty()) {
            return ExitCodes.CANNOT_CHECK;
        }
        Settings settings = loaded.get();
        // A CronJob run never overlaps another in this process: there is no other.
        RunRecord run = cycle.runIfIdle(settings, r -> r).orElseThrow();
        run.outcome().ifPresent(outcome -> {
            String report = output == OutputFormat.JSON ? JsonReport.render(outcome) : TableReport.render(outcome);
            spec.commandLine().getOut().print(report);
            spec.commandLine().getOut().flush();
        });
        run.failure().ifPresent(e -> Errors.print(spec.commandLine().getErr(),
                "cannot check target " + settings.target() + ": " + e.getMessage(), e, verbose));

        OutputResult delivered = outputs.deliver(settings, run, true);
        delivered.problems().forEach(p -> Errors.print(spec.commandLine().getErr(), p, null, false));
        if (run.failure().isPresent()) {
            return ExitCodes.CANNOT_CHECK;
        }
        if (!delivered.delivered()) {
            return ExitCodes.OUTPUT_FAILED;
        }
        Priority priority = run.outcome().orElseThrow().verdict().priority();
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
