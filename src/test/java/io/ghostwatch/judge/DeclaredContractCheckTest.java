package io.ghostwatch.judge;

import io.ghostwatch.path.ContractRows;
import io.ghostwatch.path.DeclaredContract;
import io.ghostwatch.snapshot.Snapshot;
import io.ghostwatch.snapshot.TargetSchema;
import io.ghostwatch.sql.Identifier;
import io.ghostwatch.sql.QualifiedName;
import io.ghostwatch.testing.Snapshots;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A declared contract's missing rows are judged as ghosts are, aged from the end of the grace. */
class DeclaredContractCheckTest {

    private static final DeclaredContract ONBOARDING = new DeclaredContract("onboarding",
            QualifiedName.parse("public.onboarding_steps"), Identifier.of("user_id"), Duration.ofMinutes(15));

    private static List<Finding> judge(ContractRows rows) {
        Snapshot s = Snapshots.healthy().build();
        Evidence e = new Evidence(s, Optional.empty(), List.of(), Optional.empty(), List.of(), Optional.empty(),
                List.of(), List.of(rows));
        return Judge.judge(e, Policy.DEFAULT, TargetSchema.supabaseDefaults()).findings();
    }

    private static ContractRows missing(long n, Duration oldestAgo) {
        return new ContractRows(ONBOARDING, n, Optional.of(Snapshots.healthy().build().databaseTime()
                .minus(oldestAgo)), List.of(), Optional.empty());
    }

    @Test
    void fewYoungMissingRowsAreP1AndManyOrOldOnesP0() {
        assertThat(judge(missing(2, Duration.ofHours(2)))).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("contract_rows_missing");
            assertThat(f.priority()).isEqualTo(Priority.P1);
            assertThat(f.summary()).contains("2 identities").contains("more than 15m ago").contains("the oldest 1h 45m past its grace");
        });
        assertThat(judge(missing(6, Duration.ofHours(2)))).singleElement()
                .satisfies(f -> assertThat(f.priority()).isEqualTo(Priority.P0));
        assertThat(judge(missing(1, Duration.ofHours(25)))).as("24h past the grace").singleElement()
                .satisfies(f -> assertThat(f.priority()).isEqualTo(Priority.P0));
        assertThat(judge(missing(0, Duration.ZERO))).isEmpty();
    }

    @Test
    void aContractThatCouldNotBeReadIsSaidNeverPassed() {
        assertThat(judge(ContractRows.unknown(ONBOARDING, "permission denied for table onboarding_steps")))
                .singleElement().satisfies(f -> {
                    assertThat(f.code()).isEqualTo("contract_unchecked");
                    assertThat(f.priority()).isEqualTo(Priority.P2);
                    assertThat(f.summary()).contains("permission denied").contains("unknown");
                });
    }
}
