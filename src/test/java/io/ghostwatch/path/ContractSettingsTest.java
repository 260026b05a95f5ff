package io.ghostwatch.path;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Which discovered contracts each setting counts: by default only those every signup writes. */
class ContractSettingsTest {

    private static TableContract contract(Condition selects, Optional<String> agedFrom) {
        return new TableContract("public.t", "public", "t", "user_id", Duration.ZERO, selects, agedFrom, true,
                List.of("on_auth_user_created"));
    }

    @Test
    void unconditionalCountsOnlyWhatEverySignupWritesCountEverythingInSqlWatchNothing() {
        TableContract every = contract(Condition.ALWAYS, Optional.empty());
        TableContract guestsSkipped = contract(new Condition("NOT NEW.is_anonymous",
                Optional.of("({i}.\"is_anonymous\" IS NOT TRUE)"), Optional.empty()), Optional.empty());
        TableContract onConfirmation = contract(new Condition("NEW.email_confirmed_at IS NOT NULL",
                Optional.of("({i}.\"email_confirmed_at\" IS NOT NULL)"), Optional.empty()),
                Optional.of("email_confirmed_at"));
        TableContract flag = contract(new Condition("(SELECT free_trial FROM public.pricing_flags)",
                Optional.empty(), Optional.of("reads another table")), Optional.empty());

        assertThat(List.of(every, guestsSkipped, onConfirmation, flag).stream()
                .filter(ContractSettings.Discovered.UNCONDITIONAL::counts)).containsExactly(every);
        assertThat(List.of(every, guestsSkipped, onConfirmation, flag).stream()
                .filter(ContractSettings.Discovered.COUNT::counts)).containsExactly(every, guestsSkipped,
                onConfirmation);
        assertThat(List.of(every, guestsSkipped).stream().filter(ContractSettings.Discovered.WATCH::counts))
                .isEmpty();
    }
}
