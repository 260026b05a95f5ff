package io.ghostwatch.path;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Declared contracts as configuration writes them; a bad entry is a problem naming it, and is not kept. */
class DeclaredContractTest {

    private static final String KEY = "ghostwatch.contracts.declared";

    @Test
    void entriesWithAndWithoutAGrace() {
        List<String> problems = new ArrayList<>();
        List<DeclaredContract> c = DeclaredContract.parse(KEY, Optional.of(
                " onboarding = public.onboarding_steps ( user_id ) after 15m ;billing=public.customers(id);"),
                problems);

        assertThat(problems).isEmpty();
        assertThat(c).hasSize(2);
        assertThat(c.get(0).name()).isEqualTo("onboarding");
        assertThat(c.get(0).table().quoted()).isEqualTo("\"public\".\"onboarding_steps\"");
        assertThat(c.get(0).keyColumn().name()).isEqualTo("user_id");
        assertThat(c.get(0).grace()).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.get(1).grace()).isZero();
        assertThat(c.get(0).describe()).isEqualTo("onboarding (public.onboarding_steps keyed by user_id, within 15m"
                + " of signup)");
    }

    @Test
    void badEntriesAreProblemsNamingTheKeyAndNothingOfThemIsKept() {
        List<String> problems = new ArrayList<>();
        List<DeclaredContract> c = DeclaredContract.parse(KEY, Optional.of("Bad=public.t(id); unqualified=t(id);"
                + " twice=public.a(id); twice=public.b(id); quote=public.t(\"x\"\"; drop)"), problems);

        assertThat(c).extracting(DeclaredContract::name).containsExactly("twice");
        assertThat(problems).hasSize(5).allSatisfy(p -> assertThat(p).startsWith(KEY + ": "));
        assertThat(problems.get(0)).contains("'Bad=public.t(id)'");
        assertThat(problems.get(1)).contains("schema-qualified");
        assertThat(problems.get(2)).contains("twice is declared twice");
        assertThat(DeclaredContract.parse(KEY, Optional.empty(), problems)).isEmpty();
    }
}
