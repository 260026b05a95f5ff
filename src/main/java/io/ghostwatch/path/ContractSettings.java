package io.ghostwatch.path;

import java.time.Duration;
import java.util.List;

/**
 * The contracts besides the profile's a check counts.
 *
 * @param declared       declared in configuration ({@code ghostwatch.contracts.declared})
 * @param window         how far back identities are counted
 * @param discovered     which tables the signup path writes are counted identity by identity (their write rate is
 *                       watched either way)
 */
public record ContractSettings(List<DeclaredContract> declared, Duration window, Discovered discovered) {

    /** Which discovered contracts are counted. */
    public enum Discovered {
        /** Every one whose condition is SQL. */
        COUNT,
        /**
         * Those written for every identity at signup: their steady state carries the count while both tables move
         * in lockstep, so a recount is rare; a conditional one would recount after every signup.
         */
        UNCONDITIONAL,
        /** None: only write rates. */
        WATCH;

        public boolean counts(TableContract t) {
            return switch (this) {
                case COUNT -> t.countable();
                case UNCONDITIONAL -> t.countable() && t.everySignup();
                case WATCH -> false;
            };
        }
    }

    public ContractSettings {
        declared = List.copyOf(declared);
    }

    public static ContractSettings none() {
        return new ContractSettings(List.of(), Duration.ofDays(7), Discovered.WATCH);
    }
}
