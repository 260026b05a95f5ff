package io.ghostwatch.path;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** When a discovered contract's last count may be carried, and every reason it may not. */
class ContractTallyTest {

    private static final Instant AT = Instant.parse("2026-12-07T12:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);
    private static final TableContract EVERY = new TableContract("public.user_settings", "public",
            "user_settings", "user_id", Duration.ZERO, Condition.ALWAYS, Optional.empty(), true, List.of("t"));
    private static final TableContract GUESTS_SKIPPED = new TableContract("public.wallets", "public", "wallets",
            "user_id", Duration.ZERO, new Condition("NOT NEW.is_anonymous",
            Optional.of("({i}.\"is_anonymous\" IS NOT TRUE)"), Optional.empty()), Optional.empty(), true,
            List.of("t"));

    private static ContractTally kept(TableContract t, long missing, long others) {
        return new ContractTally(t.shape(), AT.minusSeconds(60), new ContractTally.Counts(100, 50, 5, 100, 5),
                missing, Optional.empty(), List.of(), others, 0, List.of());
    }

    private static Optional<String> why(TableContract t, ContractTally k, long idIns, long idUpd, long idDel,
                                        long tIns, long tDel) {
        return ContractTally.recountBecause(t, Optional.of(k), new ContractTally.Counts(idIns, idUpd, idDel, tIns,
                tDel), AT, HOUR);
    }

    @Test
    void everySignupsContractIsCarriedWhileBothTablesMoveInLockstep() {
        ContractTally k = kept(EVERY, 0, 0);
        assertThat(why(EVERY, k, 100, 50, 5, 100, 5)).as("nothing moved").isEmpty();
        assertThat(why(EVERY, k, 130, 90, 7, 130, 7)).as("30 signups, 40 sign-ins, 2 deletes cascading").isEmpty();
        assertThat(why(EVERY, k, 130, 50, 5, 129, 5)).as("one signup without its row").isPresent();
        assertThat(why(EVERY, k, 100, 50, 5, 100, 6)).as("a row deleted").isPresent();
        assertThat(why(EVERY, k, 100, 50, 6, 100, 5)).as("an identity deleted, its row kept").isPresent();
        assertThat(why(EVERY, k, 100, 50, 5, 101, 5)).as("a row inserted by hand").isPresent();
    }

    @Test
    void updatesMatterOnlyWhileSomeIdentityLacksARow() {
        assertThat(why(EVERY, kept(EVERY, 3, 0), 100, 51, 5, 100, 5)).as("a ghost soft-deleted or converted")
                .hasValue("identities were updated while some lack a row");
        assertThat(why(EVERY, kept(EVERY, 0, 2), 100, 51, 5, 100, 5)).as("one left out may be taken now")
                .isPresent();
        assertThat(why(EVERY, kept(EVERY, 0, 0), 100, 51, 5, 100, 5)).isEmpty();
    }

    @Test
    void aConditionalContractIsCarriedOnlyWhileNoRowOfEitherTableWasInsertedOrDeleted() {
        ContractTally k = kept(GUESTS_SKIPPED, 0, 0);
        assertThat(why(GUESTS_SKIPPED, k, 100, 50, 5, 100, 5)).isEmpty();
        assertThat(why(GUESTS_SKIPPED, k, 101, 50, 5, 101, 5)).as("a signup, taken or not: unknown")
                .hasValue("rows of the two tables were inserted or deleted");
    }

    @Test
    void noKeptCountAnotherContractAResetOrAnOldCountIsCountedAgain() {
        assertThat(ContractTally.recountBecause(EVERY, Optional.empty(), new ContractTally.Counts(1, 1, 1, 1, 1),
                AT, HOUR)).hasValue("no count kept");
        assertThat(why(GUESTS_SKIPPED, kept(EVERY, 0, 0), 100, 50, 5, 100, 5))
                .hasValue("the contract changed since the last count");
        assertThat(why(EVERY, kept(EVERY, 0, 0), 10, 50, 5, 10, 5))
                .hasValue("a counter went backwards (statistics reset)");
        ContractTally old = new ContractTally(EVERY.shape(), AT.minus(HOUR), new ContractTally.Counts(100, 50, 5,
                100, 5), 0, Optional.empty(), List.of(), 0, 0, List.of());
        assertThat(ContractTally.recountBecause(EVERY, Optional.of(old), old.counts(), AT, HOUR))
                .hasValue("the last count is older than the full scan interval");
    }
}
