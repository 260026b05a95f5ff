package io.ghostwatch.path;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one check found of a declared contract: the identities past its grace, within the window, without their
 * row; or why it could not tell (the monitoring role may not read the table, the table is gone).
 *
 * @param missing      how many lack the row (0 when it could not tell: see {@code unknown})
 * @param oldestMissing the oldest such identity's creation
 * @param sample       a few of their ids, oldest first
 * @param unknown      why the contract could not be checked
 */
public record ContractRows(DeclaredContract contract, long missing, Optional<Instant> oldestMissing,
                           List<String> sample, Optional<String> unknown) {

    public ContractRows {
        sample = List.copyOf(sample);
    }

    public static ContractRows unknown(DeclaredContract contract, String why) {
        return new ContractRows(contract, 0, Optional.empty(), List.of(), Optional.of(why));
    }
}
