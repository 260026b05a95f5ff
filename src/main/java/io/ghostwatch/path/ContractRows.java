package io.ghostwatch.path;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one check found of a contract besides the profile's: the identities it selects, within the window and
 * past its grace, without their row; or why it could not tell (the monitoring role may not read the table, the
 * table is gone, its condition cannot be written in SQL).
 *
 * @param missing       how many lack the row (0 when it could not tell: see {@code unknown})
 * @param oldestMissing the oldest such identity's creation (or the time its row was due from)
 * @param sample        a few of their ids, oldest first
 * @param unknown       why the contract could not be checked
 * @param tally         the count these numbers stand on, with the statistics' counts when it was made
 * @param carried       the numbers are the last count's, carried because neither table's counts say a row changed
 */
public record ContractRows(TableContract contract, long missing, Optional<Instant> oldestMissing,
                           List<String> sample, Optional<String> unknown, Optional<ContractTally> tally,
                           boolean carried) {

    public ContractRows {
        sample = List.copyOf(sample);
    }

    public ContractRows(TableContract contract, long missing, Optional<Instant> oldestMissing, List<String> sample,
                        Optional<String> unknown) {
        this(contract, missing, oldestMissing, sample, unknown, Optional.empty(), false);
    }

    public static ContractRows unknown(TableContract contract, String why) {
        return new ContractRows(contract, 0, Optional.empty(), List.of(), Optional.of(why));
    }

    /** The table's rows whose key names no identity, as the count these numbers stand on found them. */
    public long orphans() {
        return tally.map(ContractTally::orphans).orElse(0L);
    }

    /** The numbers of a kept count, carried to this check. */
    public static ContractRows carried(TableContract contract, ContractTally kept) {
        return new ContractRows(contract, kept.missing(), kept.oldestMissing(), kept.sample(), Optional.empty(),
                Optional.of(kept), true);
    }
}
