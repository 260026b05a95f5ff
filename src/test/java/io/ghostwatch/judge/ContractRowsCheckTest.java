package io.ghostwatch.judge;

import io.ghostwatch.path.ContractRows;
import io.ghostwatch.path.Condition;
import io.ghostwatch.path.DeclaredContract;
import io.ghostwatch.path.TableContract;
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

/** A contract's missing rows are judged as ghosts are, aged from the end of the grace. */
class ContractRowsCheckTest {

    private static final TableContract ONBOARDING = TableContract.declared(new DeclaredContract("onboarding",
            QualifiedName.parse("public.onboarding_steps"), Identifier.of("user_id"), Duration.ofMinutes(15)));
    private static final TableContract SETTINGS = new TableContract("public.user_settings", "public",
            "user_settings", "user_id", Duration.ZERO, Condition.ALWAYS, Optional.empty(), true,
            List.of("on_auth_user_created"));

    private static List<Finding> judge(ContractRows rows) {
        Snapshot s = Snapshots.healthy().build();
        Evidence e = new Evidence(s, Optional.empty(), List.of(), Optional.empty(), List.of(), Optional.empty(),
                List.of(), List.of(rows));
        return Judge.judge(e, Policy.DEFAULT, TargetSchema.supabaseDefaults()).findings();
    }

    private static ContractRows missing(long n, Duration oldestAgo) {
        return missing(ONBOARDING, n, oldestAgo);
    }

    private static ContractRows missing(TableContract t, long n, Duration oldestAgo) {
        return new ContractRows(t, n, Optional.of(Snapshots.healthy().build().databaseTime()
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

    @Test
    void aDiscoveredContractNamesItsTableAndTriggerAndIsJudgedTheSame() {
        assertThat(judge(missing(SETTINGS, 3, Duration.ofMinutes(10)))).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("contract_rows_missing");
            assertThat(f.priority()).isEqualTo(Priority.P1);
            assertThat(f.summary()).contains("Contract public.user_settings: 3 identities")
                    .contains("for every identity").contains("the oldest due 10m ago");
            assertThat(f.actions()).anySatisfy(a -> assertThat(a).contains("on_auth_user_created"))
                    .anySatisfy(a -> assertThat(a).contains("export affected --contract public.user_settings"));
        });
        assertThat(judge(missing(SETTINGS, 11, Duration.ofMinutes(10)))).singleElement()
                .satisfies(f -> assertThat(f.priority()).isEqualTo(Priority.P0));
    }

    @Test
    void aDiscoveredContractThatCouldNotBeCountedIsANoteItsWriteRateBeingWatched() {
        assertThat(judge(ContractRows.unknown(SETTINGS, "permission denied for table user_settings")))
                .singleElement().satisfies(f -> {
                    assertThat(f.code()).isEqualTo("contract_unchecked");
                    assertThat(f.priority()).isEqualTo(Priority.OK);
                    assertThat(f.summary()).contains("permission denied").contains("write rate");
                });
    }

    @Test
    void rowsWhoseKeyNamesNoIdentityAreP2OrphansNamingTheContract() {
        io.ghostwatch.path.ContractTally tally = new io.ghostwatch.path.ContractTally(SETTINGS.shape(),
                Snapshots.NOW, new io.ghostwatch.path.ContractTally.Counts(1, 1, 1, 1, 1), 0, Optional.empty(),
                List.of(), 0, 2, List.of("k1", "k2"));
        ContractRows rows = new ContractRows(SETTINGS, 0, Optional.empty(), List.of(), Optional.empty(),
                Optional.of(tally), false);

        assertThat(judge(rows)).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("contract_orphans");
            assertThat(f.priority()).isEqualTo(Priority.P2);
            assertThat(f.summary()).contains("Contract public.user_settings: 2 rows").contains("k1, k2");
        });
    }
}
