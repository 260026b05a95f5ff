package io.ghostwatch.judge;

import io.ghostwatch.path.TakenSince;
import io.ghostwatch.snapshot.TargetSchema;
import io.ghostwatch.testing.Snapshots;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Ghosts an earlier check saw left out by design are named beside the ghosts' findings, which keep priority. */
class TakenSinceCheckTest {

    private static Verdict judge(long ghosts, Optional<TakenSince> taken, TargetSchema schema) {
        Evidence e = new Evidence(Snapshots.healthy().ghosts(ghosts, 0).build(), Optional.empty(), List.of(),
                Optional.empty(), List.of(), Optional.empty(), List.of(), List.of(), taken);
        return Judge.judge(e, Policy.DEFAULT, schema);
    }

    @Test
    void convertedGuestsAreANoteBesideTheGhostsOwnFindings() {
        TargetSchema guestsLeftOut = TargetSchema.supabaseDefaults().withSelection(Optional.of(
                new TargetSchema.Selection("(coalesce({i}.\"is_anonymous\", false) IS NOT TRUE)",
                        "(NEW.is_anonymous) IS NOT TRUE", Optional.empty(), false, List.of("on_auth_user_created"))));
        Verdict v = judge(3, Optional.of(new TakenSince(2, List.of("a", "b"))), guestsLeftOut);

        assertThat(v.findings()).anySatisfy(f -> {
            assertThat(f.code()).isEqualTo("ghosts_converted");
            assertThat(f.priority()).isEqualTo(Priority.OK);
            assertThat(f.summary()).contains("2 of the 3 ghosts are converted guests").contains("a, b");
        });
        assertThat(v.priority()).as("the ghosts' own findings decide").isEqualTo(
                judge(3, Optional.empty(), guestsLeftOut).priority());
    }

    @Test
    void noneTakenOrUnknownSaysNothing() {
        assertThat(judge(3, Optional.of(new TakenSince(0, List.of())), TargetSchema.supabaseDefaults()).findings())
                .noneSatisfy(f -> assertThat(f.code()).isEqualTo("ghosts_converted"));
        assertThat(judge(3, Optional.empty(), TargetSchema.supabaseDefaults()).findings())
                .noneSatisfy(f -> assertThat(f.code()).isEqualTo("ghosts_converted"));
    }
}
