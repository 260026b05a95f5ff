package io.ghostwatch.judge;

import io.ghostwatch.path.Condition;
import io.ghostwatch.path.DeleteSkip;
import io.ghostwatch.path.ProfileContract;
import io.ghostwatch.path.SignupPath;
import io.ghostwatch.snapshot.TargetSchema;
import io.ghostwatch.testing.Snapshots;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Deletes the identity table skips: P2 when every delete is or ghosts stand, a note otherwise; never more. */
class DeleteSkipCheckTest {

    private static final DeleteSkip PROTECTED_ONLY = new DeleteSkip("trigger protect_admins",
            "public.protect() returns NULL", new Condition("old.is_super_admin", Optional.of("{i}.\"is_super_admin\""),
            Optional.empty()));

    private static Optional<Finding> finding(int ghosts, DeleteSkip... skips) {
        SignupPath path = new SignupPath(List.of(), List.of(), List.of(), Set.of("id"), List.of(skips));
        Evidence e = new Evidence(Snapshots.healthy().ghosts(ghosts, 0).build(), Optional.empty(), List.of(),
                Optional.empty(), List.of(), Optional.of(new ProfileContract("public.users", Optional.of(path),
                Optional.empty(), Optional.empty())));
        return Judge.judge(e, Policy.DEFAULT, TargetSchema.supabaseDefaults()).findings().stream()
                .filter(f -> f.code().equals("deletes_skipped")).findFirst();
    }

    @Test
    void aConditionalSkipWithoutGhostsIsANote() {
        assertThat(finding(0, PROTECTED_ONLY)).hasValueSatisfying(f -> {
            assertThat(f.priority()).isEqualTo(Priority.OK);
            assertThat(f.summary()).contains("protect_admins").contains("when old.is_super_admin")
                    .doesNotContain("ghosts may");
        });
    }

    @Test
    void ghostsStandingMakeItP2AndSayTheyMayBeDeletedUsers() {
        assertThat(finding(4, PROTECTED_ONLY)).hasValueSatisfying(f -> {
            assertThat(f.priority()).isEqualTo(Priority.P2);
            assertThat(f.summary()).contains("any of the 4 ghosts may be such a user");
            assertThat(f.actions()).anySatisfy(a -> assertThat(a).contains("--deletes-skipped-ok"));
        });
    }

    @Test
    void skippingEveryDeleteIsP2WithoutGhostsAndNoSkipIsNothing() {
        assertThat(finding(0, new DeleteSkip("rule keep", "DO INSTEAD NOTHING", Condition.ALWAYS)))
                .hasValueSatisfying(f -> assertThat(f.priority()).isEqualTo(Priority.P2));
        assertThat(finding(4)).isEmpty();
    }
}
