package io.ghostwatch.judge;

import io.ghostwatch.path.ContractRows;
import io.ghostwatch.path.DeclaredContract;
import io.ghostwatch.snapshot.TargetSchema;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Declared contracts (rows the application writes itself after signup): identities past the contract's grace
 * without their row are its ghosts, judged as the profile's are, aged from the end of the grace; one that could
 * not be read is said, never passed.
 */
final class DeclaredContractCheck implements FindingRule {

    @Override
    public List<Finding> findings(Evidence evidence, Policy policy, TargetSchema schema) {
        List<Finding> findings = new ArrayList<>();
        for (ContractRows r : evidence.declared()) {
            DeclaredContract d = r.contract();
            if (r.unknown().isPresent()) {
                findings.add(new Finding(FindingCode.CONTRACT_UNCHECKED, Priority.P2, "Step 5",
                        "The declared contract " + d.describe() + " could not be checked: " + r.unknown().get()
                                + ". Whether its rows exist is unknown.",
                        List.of("Let the monitoring role read " + d.table() + "." + d.keyColumn().name()
                                + ", or correct ghostwatch.contracts.declared")));
                continue;
            }
            if (r.missing() == 0) {
                continue;
            }
            Duration past = r.oldestMissing().map(o -> Duration.between(o,
                    evidence.snapshot().databaseTime()).minus(d.grace())).orElse(Duration.ZERO);
            boolean p0 = r.missing() > policy.p0Count() || past.compareTo(policy.oldAfter()) > 0;
            findings.add(new Finding(FindingCode.CONTRACT_ROWS_MISSING, p0 ? Priority.P0 : Priority.P1, "Step 3C",
                    String.format(Locale.ROOT, "Declared contract %s: %,d identities signed up more than %s ago"
                                    + " have no row in %s keyed by %s (the oldest %s past its grace).", d.name(),
                            r.missing(), Durations.human(d.grace()), d.table(), d.keyColumn().name(),
                            Durations.human(past)),
                    List.of("The application writes these rows after signup: look at that step (its logs, a job"
                                    + " queue, a failing deploy) for the users in the report's sample",
                            "ghostwatch.contracts.declared sets the grace if signups take longer by design")));
        }
        return findings;
    }
}
