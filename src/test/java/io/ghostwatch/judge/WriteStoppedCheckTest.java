package io.ghostwatch.judge;

import io.ghostwatch.path.Condition;
import io.ghostwatch.path.WriteWatch;
import io.ghostwatch.snapshot.TargetSchema;
import io.ghostwatch.testing.Snapshots;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A stopped write: P0 when every signup should write the table, P2 under a condition, nothing below the bound. */
class WriteStoppedCheckTest {

    private static Optional<Finding> judge(Condition condition, long signupsSince) {
        WriteWatch w = new WriteWatch("public.user_roles", condition, 1000 + signupsSince, 500, Optional.of(1000L),
                Optional.of(Instant.parse("2026-12-07T10:00:00Z")));
        Evidence e = new Evidence(Snapshots.healthy().build(), Optional.empty(), List.of(), Optional.empty(),
                List.of(), Optional.empty(), List.of(w));
        return Judge.judge(e, Policy.DEFAULT, TargetSchema.supabaseDefaults()).findings().stream()
                .filter(f -> f.code().equals("path_write_stopped")).findFirst();
    }

    @Test
    void everySignupShouldWriteItIsP0AndAConditionalWriteP2() {
        assertThat(judge(Condition.ALWAYS, 20)).hasValueSatisfying(f -> {
            assertThat(f.priority()).isEqualTo(Priority.P0);
            assertThat(f.summary()).contains("public.user_roles").contains("last 20 signups")
                    .contains("for every identity");
        });
        Condition flag = new Condition("(SELECT free_trial FROM public.pricing_flags)", Optional.empty(),
                Optional.of("it reads another table"));
        assertThat(judge(flag, 25)).hasValueSatisfying(f -> assertThat(f.priority()).isEqualTo(Priority.P2));
    }

    @Test
    void fewerSignupsThanTheBoundSayNothing() {
        assertThat(judge(Condition.ALWAYS, 19)).isEmpty();
    }
}
