package io.ghostwatch.cli;

import io.ghostwatch.config.Settings;
import io.ghostwatch.judge.Priority;
import io.ghostwatch.run.CheckCycle;
import io.ghostwatch.run.CheckOutcome;
import io.ghostwatch.run.CheckService;
import io.ghostwatch.output.Outputs;
import io.ghostwatch.run.RunRecord;
import io.quarkus.runtime.Quarkus;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * {@code ghostwatch serve}: the long-running mode (a Kubernetes Deployment). Checks once at start, then on
 * {@code ghostwatch.schedule}; {@code /q/metrics} shows the latest run, {@code /q/health/ready} whether the
 * database answers, {@code /q/health/sync} the verdict. A failed run is logged and reported as
 * {@code ghostwatch_up 0}; the process stays up.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the checks on a schedule and serve /q/metrics and /q/health until stopped.")
public class ServeCommand implements Callable<Integer> {

    static final String JOB = "ghostwatch-check";
    private static final Logger LOG = Logger.getLogger(ServeCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = {"-v", "--verbose"}, description = "Print stack traces with errors.")
    boolean verbose;

    @Inject
    CheckService checks;

    @Inject
    CheckCycle cycle;

    @Inject
    Scheduler scheduler;

    @Inject
    Outputs outputs;

    @Override
    public Integer call() {
        java.util.Optional<Settings> loaded = ValidatedSettings.load(checks, spec.commandLine().getErr(), verbose);
        if (loaded.isEmpty()) {
            return ExitCodes.CANNOT_CHECK;
        }
        Settings settings = loaded.get();
        try {
            scheduler.newJob(JOB)
                    .setCron(settings.schedule())
                    // CheckCycle skips a tick that finds a run in progress, and says so in the log.
                    .setConcurrentExecution(Scheduled.ConcurrentExecution.PROCEED)
                    .setTask(execution -> runAndLog(settings))
                    .schedule();
        } catch (RuntimeException e) {
            Errors.print(spec.commandLine().getErr(), "configuration error: ghostwatch.schedule: '"
                    + settings.schedule() + "' is not a Quartz cron expression (seconds first, e.g."
                    + " '0/30 * * * * ?'): " + e.getMessage(), e, verbose);
            return ExitCodes.CANNOT_CHECK;
        }
        LOG.infof("serving target %s: checks on '%s'", settings.target(), settings.schedule());
        // Off the main thread, so a slow first check cannot delay shutdown.
        CompletableFuture.runAsync(() -> runAndLog(settings));
        Quarkus.waitForExit();
        return ExitCodes.OK;
    }

    private void runAndLog(Settings settings) {
        try {
            cycle.runIfIdle(settings, run -> {
                log(run);
                return outputs.deliver(settings, run, false);
            }).ifPresentOrElse(delivered -> delivered.problems().forEach(LOG::warn), () -> LOG.warnf(
                    "skipped a run of target %s: the previous one is still in progress (since %s)",
                    settings.target(), cycle.inProgressSince().map(Object::toString).orElse("?")));
        } catch (RuntimeException e) {
            // Never let one bad run end the schedule.
            LOG.errorf(e, "run of target %s failed unexpectedly", settings.target());
        }
    }

    private static void log(RunRecord run) {
        long ms = Duration.between(run.startedAt(), run.finishedAt()).toMillis();
        if (run.failure().isPresent()) {
            LOG.warnf("target %s: cannot check: %s (%d ms)", run.target(), run.failure().get().getMessage(), ms);
            return;
        }
        CheckOutcome o = run.outcome().orElseThrow();
        Priority p = o.verdict().priority();
        String line = String.format("target %s: priority %s, ghosts %d (old %d), orphans %d, trigger %s (%d ms)",
                run.target(), p, o.snapshot().ghosts().total(), o.snapshot().ghosts().old(),
                o.snapshot().orphans().unhandled(),
                o.snapshot().trigger().fires() ? "firing" : o.snapshot().trigger().tgenabled().orElse("missing"), ms);
        if (p == Priority.OK) {
            LOG.info(line);
        } else {
            LOG.warn(line);
        }
    }
}
