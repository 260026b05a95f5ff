package io.ghostwatch.judge;

import io.ghostwatch.path.ContractRows;
import io.ghostwatch.path.TableContract;
import io.ghostwatch.snapshot.TargetSchema;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The contracts besides the profile's: identities a contract takes, past its grace, without their row are its
 * ghosts, judged as the profile's are (P0 above {@code p0-count} or past {@code old-after}, else P1), aged from
 * when the row was due. A declared contract that could not be read is P2, never a pass; a discovered one is a
 * note, its table's write rate being watched either way.
 */
final class ContractRowsCheck implements FindingRule {

    @Override
    public List<Finding> findings(Evidence evidence, Policy policy, TargetSchema schema) {
        List<Finding> findings = new ArrayList<>();
        for (ContractRows r : evidence.contractRows()) {
            TableContract t = r.contract();
            if (r.unknown().isPresent()) {
                findings.add(unchecked(t, r.unknown().get()));
                continue;
            }
            if (r.orphans() > 0) {
                findings.add(orphans(r));
            }
            if (r.missing() == 0) {
                continue;
            }
            Duration past = r.oldestMissing().map(o -> Duration.between(o,
                    evidence.snapshot().databaseTime()).minus(t.grace())).orElse(Duration.ZERO);
            boolean p0 = r.missing() > policy.p0Count() || past.compareTo(policy.oldAfter()) > 0;
            findings.add(new Finding(FindingCode.CONTRACT_ROWS_MISSING, p0 ? Priority.P0 : Priority.P1, "Step 3C",
                    t.discovered() ? discoveredSummary(r, past) : declaredSummary(r, past),
                    t.discovered() ? List.of("The signup path writes these rows (trigger " + String.join(", ",
                                    t.triggers()) + "): a signup whose row is missing means that write was skipped,"
                                    + " its error swallowed, or the row deleted since; the report's sample names the"
                                    + " identities",
                            "ghostwatch export affected --contract " + t.name() + " lists them all")
                            : List.of("The application writes these rows after signup: look at that step (its logs,"
                                    + " a job queue, a failing deploy) for the users in the report's sample",
                            "ghostwatch.contracts.declared sets the grace if signups take longer by design",
                            "ghostwatch export affected --contract " + t.name() + " lists them all")));
        }
        return findings;
    }

    private static String declaredSummary(ContractRows r, Duration past) {
        TableContract t = r.contract();
        return String.format(Locale.ROOT, "Declared contract %s: %,d identities signed up more than %s ago have no"
                        + " row in %s keyed by %s (the oldest %s past its grace).", t.name(), r.missing(),
                Durations.human(t.grace()), t.where(), t.keyColumn(), Durations.human(past));
    }

    private static String discoveredSummary(ContractRows r, Duration past) {
        TableContract t = r.contract();
        return String.format(Locale.ROOT, "Contract %s: %,d identities%s have no row in %s keyed by %s, though the"
                        + " signup path writes one %s (the oldest due %s ago%s).", t.name(), r.missing(),
                t.agedFrom().map(a -> " with " + a + " set").orElse(""), t.where(), t.keyColumn(),
                t.selects().always() ? "for every identity" : "when " + t.selects().text(), Durations.human(past),
                r.carried() ? "; counted earlier, carried: no row of either table changed since" : "");
    }

    /** Rows whose key names no identity: the profile's orphans' counterpart, judged as they are (P2). */
    private static Finding orphans(ContractRows r) {
        TableContract t = r.contract();
        List<String> keys = r.tally().map(k -> k.orphanSample()).orElse(List.of());
        return new Finding(FindingCode.CONTRACT_ORPHANS, Priority.P2, "Scenario 4", String.format(Locale.ROOT,
                "Contract %s: %,d rows in %s keyed by %s name no identity (e.g. %s): identities were hard-deleted"
                        + " and these rows stayed.", t.name(), r.orphans(), t.where(), t.keyColumn(),
                String.join(", ", keys)),
                List.of("If those users were deleted on purpose, delete their rows and make the key a foreign key"
                        + " ON DELETE CASCADE to the identity table, so the next delete takes them too; if not,"
                        + " find out what deleted the identities (runbook Scenario 4)"));
    }

    private static Finding unchecked(TableContract t, String why) {
        if (t.discovered()) {
            return new Finding(FindingCode.CONTRACT_UNCHECKED, Priority.OK, "Step 5", "The signup path writes "
                    + t.where() + ", but its rows could not be counted: " + why + ". Only its write rate is"
                    + " watched.", List.of("Let the monitoring role read " + t.where() + "." + t.keyColumn()
                    + " to count it identity by identity, or set ghostwatch.contracts.discovered=watch"));
        }
        return new Finding(FindingCode.CONTRACT_UNCHECKED, Priority.P2, "Step 5", "The declared contract "
                + t.describe() + " could not be checked: " + why + ". Whether its rows exist is unknown.",
                List.of("Let the monitoring role read " + t.where() + "." + t.keyColumn()
                        + ", or correct ghostwatch.contracts.declared"));
    }
}
