package io.ghostwatch.path;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A write rate from two cumulative counts: when it last grew, and what resets it. */
class WriteWatchTest {

    private static final WriteWatch.Watched SETTINGS = new WriteWatch.Watched("public", "user_settings",
            Condition.ALWAYS);
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private static final Instant T1 = T0.plusSeconds(60);

    @Test
    void aFirstLookOrCountsThatWentDownStartTheWatchWithoutAVerdict() {
        WriteWatch first = WriteWatch.advance(SETTINGS, Optional.empty(), 100, 90, T0);
        assertThat(first.signupsSinceWrite()).isEmpty();

        WriteWatch.Kept grown = new WriteWatch.Kept(100, 90, Optional.of(95L), Optional.of(T0));
        assertThat(WriteWatch.advance(SETTINGS, Optional.of(grown), 3, 0, T1).signupsSinceWrite())
                .as("a statistics reset").isEmpty();
    }

    @Test
    void signupsSinceTheTableLastGrewCountFromTheCheckThatSawItGrow() {
        WriteWatch.Kept before = new WriteWatch.Kept(100, 90, Optional.empty(), Optional.empty());
        WriteWatch grew = WriteWatch.advance(SETTINGS, Optional.of(before), 110, 95, T1);
        assertThat(grew.signupsSinceWrite()).contains(0L);
        assertThat(grew.grewAt()).contains(T1);

        WriteWatch stalled = WriteWatch.advance(SETTINGS, Optional.of(grew.kept()), 140, 95, T1.plusSeconds(60));
        assertThat(stalled.signupsSinceWrite()).contains(30L);
        assertThat(stalled.grewAt()).as("when it was last written").contains(T1);

        WriteWatch quiet = WriteWatch.advance(SETTINGS, Optional.of(before), 100, 90, T1);
        assertThat(quiet.signupsSinceWrite()).as("never seen growing says nothing").isEmpty();
    }

    @Test
    void theWatchedTablesAreTheOthersWrittenOnInsertOneEach() {
        PathWrite profile = new PathWrite("on_auth_user_created", List.of("INSERT"), List.of("public.f()"), "INSERT",
                "public.users", Optional.of("public"), "users", Optional.of("id"), Condition.ALWAYS, Optional.empty());
        PathWrite roles = new PathWrite("on_auth_user_created", List.of("INSERT"), List.of("public.f()"), "UPSERT",
                "user_roles", Optional.of("public"), "user_roles", Optional.of("user_id"), Condition.ALWAYS,
                Optional.empty());
        PathWrite onConfirm = new PathWrite("on_confirmed", List.of("UPDATE"), List.of("public.g()"), "INSERT",
                "public.wallets", Optional.of("public"), "wallets", Optional.of("user_id"), Condition.ALWAYS,
                Optional.empty());
        PathWrite missing = new PathWrite("on_auth_user_created", List.of("INSERT"), List.of("public.f()"), "INSERT",
                "nowhere", Optional.empty(), "nowhere", Optional.of("user_id"), Condition.ALWAYS, Optional.empty());
        PathWrite unkeyed = new PathWrite("on_auth_user_created", List.of("INSERT"), List.of("public.f()"), "INSERT",
                "public.audit", Optional.of("public"), "audit", Optional.empty(), Condition.ALWAYS, Optional.empty());
        SignupPath path = new SignupPath(List.of(), List.of(profile, roles, roles, onConfirm, missing, unkeyed), List.of(),
                Set.of("id"));

        assertThat(WriteWatch.watched(path, "public", "users")).extracting(WriteWatch.Watched::where)
                .containsExactly("public.user_roles");
    }
}
