package io.ghostwatch.metrics;

import io.ghostwatch.judge.Evidence;
import io.ghostwatch.path.ContractRows;
import io.ghostwatch.path.WriteWatch;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code ghostwatch_contract_missing_rows} series: rows a contract other than the profile's is missing, by
 * contract: a declared contract's name or a discovered one's table (the identities it takes, past the grace,
 * without their row), or a table the signup path writes for every identity that could not be counted (the
 * signups since a row was last written there). Contracts are declared or
 * discovered, so the series stay bounded; one that could not be read has no series (unknown is not zero).
 */
public record ContractSeries(String contract, double missing) {

    public static final String NAME = "ghostwatch_contract_missing_rows";
    public static final String HELP = "Rows a contract besides the profile's misses, by contract: the identities"
            + " it takes past their grace without their row, or, for a table the signup path writes for every"
            + " identity that could not be counted, the signups since it was last written.";

    public static List<ContractSeries> of(Evidence evidence) {
        List<ContractSeries> series = new ArrayList<>();
        for (ContractRows r : evidence.contractRows()) {
            if (r.unknown().isEmpty()) {
                series.add(new ContractSeries(r.contract().name(), r.missing()));
            }
        }
        for (WriteWatch w : evidence.writeWatches()) {
            // A table counted identity by identity has its missing rows; its write rate speaks only without them.
            if (w.condition().always() && series.stream().noneMatch(s -> s.contract().equals(w.table()))) {
                w.signupsSinceWrite().ifPresent(n -> series.add(new ContractSeries(w.table(), n)));
            }
        }
        return List.copyOf(series);
    }
}
