package io.ghostwatch.diagnose;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Row-level security on the profile table that denies the role the insert runs as ({@link RowSecurity}): every
 * signup fails. The path's other writes are {@link PathRowSecurityRule}'s.
 */
final class RowLevelSecurityRule implements CauseRule {

    @Override
    public void find(CauseContext ctx, List<Cause> causes) throws SQLException {
        Optional<String> role = ctx.inserter();
        if (role.isEmpty()) {
            return;
        }
        Optional<String> denied = RowSecurity.deniesInsert(ctx.connection(), List.of(new RowSecurity.Insert(
                ctx.schema().profileTable().schema().name(), ctx.schema().profileTable().name().name(), role.get())))
                .get(0);
        if (denied.isEmpty()) {
            return;
        }
        String table = ctx.schema().profileTable().toString();
        causes.add(Cause.certain(CauseCode.PROFILE_RLS_BLOCKS_SYNC, Cause.Effect.FAILS_EVERY_SIGNUP,
                "row-level security on " + table + " applies to " + role.get() + ", who inserts the"
                        + " profile, and no INSERT policy admits it: every signup fails",
                denied.get(),
                "CREATE POLICY sync_profiles ON " + ctx.schema().profileTable().quoted() + " FOR INSERT TO "
                        + io.ghostwatch.sql.Sql.quoteIdent(role.get()) + " WITH CHECK (true);"
                        + " or make the table's owner own the function"));
    }
}
