package io.ghostwatch.signups;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SignupKindsTest {

    private static final Instant FROM = Instant.parse("2026-12-07T10:00:00Z");

    @Test
    void aKindThatCommittedBeforeAndNotSinceIsNamedAsLikelyFailing() {
        Map<String, Long> since = new LinkedHashMap<>();
        since.put("email", 20L);
        since.put("phone", 0L);
        Map<String, Long> before = new LinkedHashMap<>();
        before.put("email", 40L);
        before.put("phone", 6L);

        SignupKinds kinds = new SignupKinds(since, before, FROM, FROM.plus(java.time.Duration.ofDays(4)),
                Optional.empty());
        SignupKinds minutes = new SignupKinds(since, before, FROM, FROM.plusSeconds(300), Optional.empty());

        assertThat(kinds.stalled()).as("6 a week: over 3 expected in 4 days").containsExactly("phone");
        assertThat(minutes.stalled()).as("none expected in 5 minutes: not blamed").isEmpty();
        assertThat(kinds.describe()).isEqualTo("kinds committed since the last check: email 20; in the 7 days"
                + " before: email 40, phone 6; committed before and not since: phone (likely the failing kind)");
    }

    @Test
    void withNothingBeforeNoKindIsBlamedAndUnreadableKindsSayWhy() {
        SignupKinds fresh = new SignupKinds(Map.of("email", 3L), Map.of("email", 0L), FROM, FROM.plusSeconds(60),
                Optional.empty());

        assertThat(fresh.stalled()).isEmpty();
        assertThat(fresh.describe()).endsWith("in the 7 days before: none");
        assertThat(SignupKinds.unknown(FROM, "no column").describe()).isEqualTo("kinds of signup not read: no column");
    }

    @Test
    void theKindIsTheViewsColumnElseWhatTheTablesColumnsTell() {
        assertThat(SignupKindsReader.kind(Set.of("signup_kind", "email"))).isEqualTo("i.signup_kind");
        assertThat(SignupKindsReader.kind(Set.of("is_anonymous", "raw_app_meta_data", "email", "phone")))
                .contains("'anonymous'").contains("->> 'provider'").contains("'phone'").endsWith("ELSE 'email' END");
        assertThat(SignupKindsReader.kind(Set.of("is_anonymous"))).as("nothing tells e-mail from a provider")
                .isEmpty();
        assertThat(SignupKindsReader.kind(Set.of())).isEmpty();
    }
}
