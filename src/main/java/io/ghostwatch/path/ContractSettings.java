package io.ghostwatch.path;

import java.time.Duration;
import java.util.List;

/**
 * The contracts besides the profile's a check counts.
 *
 * @param declared       declared in configuration ({@code ghostwatch.contracts.declared})
 * @param window         how far back identities are counted
 * @param countDiscovered count the tables the signup path writes identity by identity (their write rate is
 *                       watched either way)
 */
public record ContractSettings(List<DeclaredContract> declared, Duration window, boolean countDiscovered) {

    public ContractSettings {
        declared = List.copyOf(declared);
    }

    public static ContractSettings none() {
        return new ContractSettings(List.of(), Duration.ofDays(7), false);
    }
}
