package io.ghostwatch.cli;

import io.ghostwatch.config.Settings;
import io.ghostwatch.remediate.RemediationService;
import io.ghostwatch.run.CheckService;
import io.ghostwatch.throttle.ThrottleSettings;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** {@code ghostwatch fix trigger|backfill|orphans}: the runbook's remediation steps, dry run unless --apply. */
@Command(name = "fix", mixinStandardHelpOptions = true,
        description = "The runbook's remediation steps, guarded: dry run unless --apply, audited, verified.",
        subcommands = {FixCommand.Trigger.class, FixCommand.Backfill.class, FixCommand.Orphans.class})
public class FixCommand {

    abstract static class FixSubcommand implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        FixOptions options;

        @Inject
        CheckService checks;

        @Inject
        RemediationService remediation;

        abstract Integer run(Settings settings, RemediationService.Options options);

        @Override
        public Integer call() {
            java.util.Optional<Settings> loaded = ValidatedSettings.load(checks, spec.commandLine().getErr(),
                    options.verbose);
            if (loaded.isEmpty()) {
                return ExitCodes.CANNOT_CHECK;
            }
            Settings settings = loaded.get();
            java.util.List<String> problems = new java.util.ArrayList<>();
            ThrottleSettings throttle = options.throttle(settings.remediation().batchSize(), problems);
            if (!problems.isEmpty()) {
                Errors.print(spec.commandLine().getErr(), String.join("; ", problems) + "; nothing was changed",
                        null, options.verbose);
                return ExitCodes.CANNOT_CHECK;
            }
            return run(settings, new RemediationService.Options(options.apply, Optional.ofNullable(options.reason),
                    options.maxRows, throttle));
        }
    }

    @Command(name = "trigger", mixinStandardHelpOptions = true,
            description = "Steps 3A/3B: enable the sync trigger, reset a persisted replica role, or recreate it"
                    + " from the migration file you name.")
    static class Trigger extends FixSubcommand {
        @Option(names = "--from-file", description = "The migration that creates the trigger (Step 3B).")
        Path fromFile;

        @Override
        Integer run(Settings settings, RemediationService.Options opts) {
            Optional<String> sql = Optional.empty();
            if (fromFile != null) {
                try {
                    sql = Optional.of(Files.readString(fromFile));
                } catch (IOException e) {
                    Errors.print(spec.commandLine().getErr(), "cannot read --from-file " + fromFile + ": "
                            + e.getMessage(), e, options.verbose);
                    return ExitCodes.CANNOT_CHECK;
                }
            }
            return remediation.trigger(settings, Optional.ofNullable(fromFile), sql, opts,
                    spec.commandLine().getOut(), spec.commandLine().getErr());
        }
    }

    @Command(name = "backfill", mixinStandardHelpOptions = true,
            description = "Step 4: create the missing profiles in short keyset batches, ON CONFLICT DO NOTHING.")
    static class Backfill extends FixSubcommand {
        @Option(names = "--trigger-not-firing-ok",
                description = "Backfill although the sync trigger does not fire (the runbook restores it first,"
                        + " Step 3A, so that no new ghost appears behind the backfill).")
        boolean triggerNotFiringOk;

        @Option(names = "--deletes-skipped-ok",
                description = "Backfill although deletes of identities can be skipped (a BEFORE DELETE trigger"
                        + " returning NULL, a DO INSTEAD rule): the ghosts were reviewed, and none is a user who"
                        + " asked to be deleted.")
        boolean deletesSkippedOk;

        @Option(names = "--contract",
                description = "Backfill one contract besides the profile's instead: a table the signup path writes,"
                        + " by its name in the report (e.g. public.user_settings).")
        String contract;

        @Option(names = "--columns",
                description = "With --contract: the row's other columns, column=source pairs as"
                        + " ghostwatch.remediate.backfill-columns takes them (default: the key column and the"
                        + " table's defaults).")
        String columns;

        @Override
        Integer run(Settings settings, RemediationService.Options opts) {
            if (contract != null) {
                return remediation.contractBackfill(settings, contract, Optional.ofNullable(columns),
                        deletesSkippedOk, opts, spec.commandLine().getOut(), spec.commandLine().getErr());
            }
            if (columns != null) {
                Errors.print(spec.commandLine().getErr(), "--columns goes with --contract (the profile's backfill"
                        + " takes ghostwatch.remediate.backfill-columns); nothing was changed", null, false);
                return ExitCodes.CANNOT_CHECK;
            }
            return remediation.backfill(settings, triggerNotFiringOk, deletesSkippedOk, opts, spec.commandLine().getOut(),
                    spec.commandLine().getErr());
        }
    }

    @Command(name = "orphans", mixinStandardHelpOptions = true,
            description = "Scenario 4: soft-delete orphaned profiles (never hard-delete).")
    static class Orphans extends FixSubcommand {
        @Option(names = "--deleted-intentionally",
                description = "Confirms the identities were deleted on purpose (the runbook asks first).")
        boolean intentional;

        @Override
        Integer run(Settings settings, RemediationService.Options opts) {
            return remediation.orphans(settings, intentional, opts, spec.commandLine().getOut(),
                    spec.commandLine().getErr());
        }
    }
}
