package io.ghostwatch.cli;

import io.ghostwatch.config.Settings;
import io.ghostwatch.history.HistoryException;
import io.ghostwatch.history.HistoryStore;
import io.ghostwatch.history.RunRow;
import io.ghostwatch.report.HistoryReport;
import io.ghostwatch.report.OutputFormat;
import io.ghostwatch.run.CheckService;
import io.ghostwatch.run.DatabaseErrors;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ghostwatch history}: the runs recorded in the history schema (the runbook's get_sync_status_history). */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Show the recorded runs of this target: priority, numbers, and when the state changed.")
public class HistoryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--days", defaultValue = "7", description = "How many days back (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--per-day", description = "One line per UTC day instead of one per run.")
    boolean perDay;

    @Option(names = {"-o", "--output"}, defaultValue = "table",
            description = "table or json (default: ${DEFAULT-VALUE}).",
            converter = CheckCommand.OutputFormatConverter.class)
    OutputFormat output;

    @Option(names = {"-v", "--verbose"}, description = "Print stack traces with errors.")
    boolean verbose;

    @Inject
    CheckService checks;

    @Inject
    HistoryStore history;

    @Override
    public Integer call() {
        java.util.Optional<Settings> loaded = ValidatedSettings.load(checks, spec.commandLine().getErr(), verbose);
        if (loaded.isEmpty()) {
            return ExitCodes.CANNOT_CHECK;
        }
        Settings settings = loaded.get();
        if (days < 1) {
            Errors.print(spec.commandLine().getErr(), "--days must be at least 1", null, false);
            return ExitCodes.CANNOT_CHECK;
        }
        if (!settings.history().enabled()) {
            Errors.print(spec.commandLine().getErr(), "history is off (ghostwatch.history.enabled=false):"
                    + " nothing was recorded", null, false);
            return ExitCodes.CANNOT_CHECK;
        }
        List<RunRow> runs;
        try {
            runs = history.runs(settings.history(), settings.target(),
                    Instant.now().minus(Duration.ofDays(days)));
        } catch (HistoryException e) {
            String message = e.getMessage().contains("does not exist")
                    ? "no history yet in schema " + settings.history().schema() + ": run `ghostwatch check` first"
                    : e.getMessage().contains("cannot read the history") && isConnection(e)
                    ? DatabaseErrors.explain(e, checks.location(), settings) : e.getMessage();
            Errors.print(spec.commandLine().getErr(), message, e, verbose);
            return ExitCodes.CANNOT_CHECK;
        }
        String text = output == OutputFormat.JSON ? HistoryReport.json(settings.target(), days, runs)
                : HistoryReport.table(settings.target(), days, runs, perDay);
        spec.commandLine().getOut().print(text);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }

    private static boolean isConnection(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof java.sql.SQLException s && s.getSQLState() != null
                    && (s.getSQLState().startsWith("08") || s.getSQLState().startsWith("28")
                    || s.getSQLState().equals("3D000"))) {
                return true;
            }
        }
        return false;
    }
}
