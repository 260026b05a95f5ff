package io.ghostwatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ghostwatch.config.Settings;
import io.ghostwatch.remediate.AffectedExport;
import io.ghostwatch.run.CheckService;
import io.ghostwatch.run.DatabaseErrors;
import jakarta.inject.Inject;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

/** {@code ghostwatch export affected}: runbook Step 6's list, for Customer Success. */
@Command(name = "export", mixinStandardHelpOptions = true, description = "Export data for people outside on-call.",
        subcommands = {ExportCommand.Affected.class})
public class ExportCommand {

    @Command(name = "affected", mixinStandardHelpOptions = true,
            description = "Step 6: the affected users (id, created_at, days affected) as CSV or JSON; the ghosts"
                    + " now, or those a backfill repaired. No emails without --include-emails.")
    static class Affected implements Callable<Integer> {

        static class Which {
            @Option(names = "--current", description = "The ghosts now (before a backfill). The default.")
            boolean current;

            @Option(names = "--remediation", description = "The users a backfill (its remediation id) repaired.")
            UUID remediation;

            @Option(names = "--since", description = "Users repaired by backfills in the last DURATION, e.g. 7d.")
            String since;

            @Option(names = "--contract", description = "The identities a contract besides the profile's (declared,"
                    + " or a table the signup path writes, by its name in the report) is missing rows for now,"
                    + " within ghostwatch.contracts.window; created_at is when the row was due.")
            String contract;
        }

        @Spec
        CommandSpec spec;

        @ArgGroup(exclusive = true)
        Which which = new Which();

        /** -o/--output as every other command; --format is the earlier spelling, kept working. */
        @Option(names = {"-o", "--output", "--format"}, defaultValue = "csv",
                description = "csv or json (default: ${DEFAULT-VALUE}).")
        String format;

        @Option(names = "--include-emails", description = "Add emails: personal data, for Customer Success only.")
        boolean includeEmails;

        @Inject
        CheckService checks;

        @Inject
        AffectedExport export;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            java.util.Optional<Settings> loaded = ValidatedSettings.load(checks, err, false);
            if (loaded.isEmpty()) {
                return ExitCodes.CANNOT_CHECK;
            }
            Settings settings = loaded.get();
            if (!format.equals("csv") && !format.equals("json")) {
                Errors.print(err, "-o/--output must be csv or json, was '" + format + "'", null, false);
                return ExitCodes.CANNOT_CHECK;
            }
            AffectedExport.Selection selection;
            if (which.remediation != null) {
                selection = new AffectedExport.Selection.Remediation(which.remediation);
            } else if (which.since != null) {
                try {
                    Duration d = io.quarkus.runtime.configuration.DurationConverter.parseDuration(which.since);
                    selection = new AffectedExport.Selection.Since(Instant.now().minus(d));
                } catch (RuntimeException e) {
                    Errors.print(err, "--since: '" + which.since + "' is not a duration such as 24h or 7d", null,
                            false);
                    return ExitCodes.CANNOT_CHECK;
                }
            } else if (which.contract != null) {
                selection = new AffectedExport.Selection.Contract(which.contract);
            } else {
                selection = new AffectedExport.Selection.Current();
            }
            List<AffectedExport.Row> rows;
            try {
                rows = export.rows(settings, selection, includeEmails);
            } catch (SQLException e) {
                Errors.print(err, DatabaseErrors.explain(e, checks.location(), settings), e, false);
                return ExitCodes.CANNOT_CHECK;
            } catch (io.ghostwatch.run.CannotCheckException e) {
                Errors.print(err, e.getMessage(), e, false);
                return ExitCodes.CANNOT_CHECK;
            }
            if (includeEmails) {
                err.println("ghostwatch: the export contains emails (personal data): share it only with Customer"
                        + " Success");
            }
            PrintWriter out = spec.commandLine().getOut();
            out.print(format.equals("json") ? json(rows) : csv(rows));
            out.flush();
            err.printf("ghostwatch: %d affected users exported%n", rows.size());
            err.flush();
            return ExitCodes.OK;
        }

        private String csv(List<AffectedExport.Row> rows) {
            StringBuilder out = new StringBuilder("id,created_at,repaired_at,days_affected"
                    + (includeEmails ? ",email" : "") + "\n");
            for (AffectedExport.Row r : rows) {
                out.append(r.id()).append(',').append(r.createdAt().map(Object::toString).orElse("")).append(',')
                        .append(r.repairedAt().map(Object::toString).orElse("")).append(',')
                        .append(r.daysAffected().map(String::valueOf).orElse(""));
                if (includeEmails) {
                    out.append(',').append(quote(r.email().orElse("")));
                }
                out.append('\n');
            }
            return out.toString();
        }

        private static String quote(String v) {
            return v.contains(",") || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
        }

        private String json(List<AffectedExport.Row> rows) {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode root = mapper.createObjectNode().put("schema", "ghostwatch.affected/v1");
            ArrayNode list = root.putArray("users");
            for (AffectedExport.Row r : rows) {
                ObjectNode n = list.addObject().put("id", r.id());
                n.put("createdAt", r.createdAt().map(Object::toString).orElse(null));
                n.put("repairedAt", r.repairedAt().map(Object::toString).orElse(null));
                if (r.daysAffected().isPresent()) {
                    n.put("daysAffected", r.daysAffected().get());
                } else {
                    n.putNull("daysAffected");
                }
                if (includeEmails) {
                    n.put("email", r.email().orElse(null));
                }
            }
            try {
                return mapper.writeValueAsString(root) + "\n";
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
