package io.ghostwatch.diagnose;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The configured profile table is not where the sync function puts profiles (Supabase's docs create
 * {@code public.profiles}; the runbook says {@code public.users}): every number compares the identities with a
 * table the trigger does not fill, and a backfill would write there.
 */
final class ProfileTableRule implements CauseRule {

    @Override
    public void find(CauseContext ctx, List<Cause> causes) throws SQLException {
        if (ctx.function().isEmpty()) {
            return;
        }
        Optional<ProfileTarget> elsewhere = ProfileTarget.of(ctx.connection(), ctx.schema(), ctx.function().get())
                .filter(t -> !t.configured());
        elsewhere.ifPresent(t -> causes.add(Cause.heuristic(CauseCode.PROFILE_TABLE_ELSEWHERE, Cause.Effect.LEAVES_GHOSTS,
                t.function() + " inserts its profiles into " + t.table() + ", not into the configured profile"
                        + " table " + ctx.schema().profileTable() + ": the numbers compare the identities with a"
                        + " table the trigger does not fill", "INSERT INTO " + t.table() + " in " + t.function(),
                "set ghostwatch.profile.table=" + t.table() + " (GHOSTWATCH_PROFILE_TABLE)")));
    }
}
