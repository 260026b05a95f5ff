package io.ghostwatch.judge;

import io.ghostwatch.path.ProfileContract;
import io.ghostwatch.snapshot.TargetSchema;
import io.ghostwatch.testing.Snapshots;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** What the profile contract adds to a verdict: a note when it narrows but cannot be applied, never a priority. */
class ContractCheckTest {

    private static Verdict judge(Optional<ProfileContract> contract) {
        Evidence e = new Evidence(Snapshots.healthy().ghosts(2, 0).build(), Optional.empty(), List.of(),
                Optional.empty(), List.of(), contract);
        return Judge.judge(e, Policy.DEFAULT, TargetSchema.supabaseDefaults());
    }

    @Test
    void aPathThatCouldNotBeReadIsANoteSayingWhatIsUnknownAndLeavesThePriorityToTheGhosts() {
        Verdict v = judge(Optional.of(new ProfileContract("public.users", Optional.empty(), Optional.empty(),
                Optional.of("the signup path could not be read (permission denied): every identity is counted"))));

        assertThat(v.priority()).isEqualTo(Priority.P1);
        Finding note = v.findings().stream().filter(f -> f.code().equals("profile_condition_unknown")).findFirst()
                .orElseThrow();
        assertThat(note.priority()).isEqualTo(Priority.OK);
        assertThat(note.summary()).startsWith("Which identities the signup path gives a profile is unknown")
                .contains("permission denied");
    }

    @Test
    void everyIdentityByConfigurationOrAnAppliedPathAddsNothing() {
        assertThat(judge(Optional.of(ProfileContract.everyIdentity("public.users"))).findings())
                .extracting(Finding::code).doesNotContain("profile_condition_unknown");
        assertThat(judge(Optional.empty()).findings()).extracting(Finding::code)
                .doesNotContain("profile_condition_unknown");
    }
}
