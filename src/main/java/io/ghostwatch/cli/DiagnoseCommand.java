package io.ghostwatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ghostwatch.config.Settings;
import io.ghostwatch.diagnose.Cause;
import io.ghostwatch.judge.SignupsBlockedCheck;
import io.ghostwatch.signups.Blocker;
import io.ghostwatch.path.ProfileContract;
import io.ghostwatch.report.OutputFormat;
import io.ghostwatch.report.PathJson;
import io.ghostwatch.report.WindowJson;
import io.ghostwatch.run.CannotCheckException;
import io.ghostwatch.run.CheckService;
import io.ghostwatch.run.CheckOutcome;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ghostwatch diagnose}: runbook Step 3C, why an enabled trigger still leaves ghosts or fails signups. */
@Command(name = "diagnose", mixinStandardHelpOptions = true,
        description = "Step 3C: read the catalog for why the sync trigger leaves ghosts or fails signups.")
public class DiagnoseCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).",
            converter = CheckCommand.OutputFormatConverter.class)
    OutputFormat output;

    @Option(names = {"-v", "--verbose"}, description = "Print stack traces with errors.")
    boolean verbose;

    @Inject
    CheckService checks;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        java.util.Optional<Settings> loaded = ValidatedSettings.load(checks, err, verbose);
        if (loaded.isEmpty()) {
            return ExitCodes.CANNOT_CHECK;
        }
        Settings settings = loaded.get();
        CheckOutcome outcome;
        try {
            outcome = checks.check(settings);
        } catch (CannotCheckException e) {
            Errors.print(err, "cannot check target " + settings.target() + ": " + e.getMessage(), e, verbose);
            return ExitCodes.CANNOT_CHECK;
        }
        List<Cause> causes = outcome.causes();
        // A lock every signup waits for is the first thing to fix, whatever the catalog says besides.
        List<Blocker> blockers = SignupsBlockedCheck.blocking(outcome.evidence(), settings.policy());
        PrintWriter out = spec.commandLine().getOut();
        out.print(output == OutputFormat.JSON ? json(settings, outcome, causes, blockers)
                : table(settings, outcome, causes, blockers));
        out.flush();
        return causes.isEmpty() && blockers.isEmpty() ? ExitCodes.OK : ExitCodes.FINDINGS;
    }

    private static String table(Settings settings, CheckOutcome outcome, List<Cause> causes, List<Blocker> blockers) {
        StringBuilder out = new StringBuilder("ghostwatch diagnose: target " + settings.target() + " ("
                + outcome.database() + "), " + outcome.snapshot().ghosts().total() + " ghosts now\n\n");
        for (Blocker b : blockers) {
            out.append("* signups_blocked [every signup waits: P0]: ").append(SignupsBlockedCheck.describe(b))
                    .append('\n')
                    .append("    fix:      ").append(b.fix()).append('\n');
        }
        if (causes.isEmpty() && blockers.isEmpty()) {
            out.append("No known cause found in the catalog.\n");
        }
        outcome.evidence().contract().flatMap(ProfileContract::path).ifPresent(path -> {
            out.append("\nSignup path (read from the catalog):\n");
            PathJson.lines(path).forEach(l -> out.append("  ").append(l).append('\n'));
            if (path.triggers().isEmpty()) {
                out.append("  no trigger on ").append(settings.schema().identityTable()).append('\n');
            }
        });
        for (Cause c : causes) {
            out.append("* ").append(c.code()).append(" [").append(effect(c)).append(c.heuristic() ? ", heuristic" : "")
                    .append("]: ").append(c.summary()).append('\n')
                    .append("    evidence: ").append(c.evidence()).append('\n')
                    .append("    fix:      ").append(c.fix()).append('\n');
        }
        return out.toString();
    }

    private static String effect(Cause c) {
        return switch (c.effect()) {
            case TRIGGER_NOT_FIRING -> "trigger not firing: P0";
            case FAILS_EVERY_SIGNUP -> "fails every signup: P0";
            case FAILS_SOME_SIGNUPS -> "fails some signups: P1 while signups roll back, else P2";
            case LEAVES_GHOSTS -> "leaves ghosts: priority of the ghosts";
        };
    }

    private static String json(Settings settings, CheckOutcome outcome, List<Cause> causes, List<Blocker> blockers) {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode().put("schema", "ghostwatch.diagnose/v1")
                .put("target", settings.target());
        ArrayNode list = root.putArray("causes");
        causes.forEach(c -> WindowJson.cause(list, c));
        WindowJson.blockers(root.putArray("signupBlockers"), blockers);
        PathJson.contract(root, outcome.evidence().contract(), outcome.snapshot().ghosts().anonymousExcluded());
        PathJson.path(root, outcome.evidence().contract().flatMap(ProfileContract::path));
        try {
            return mapper.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
