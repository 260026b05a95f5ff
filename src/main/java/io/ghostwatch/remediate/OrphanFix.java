package io.ghostwatch.remediate;

import io.ghostwatch.config.Settings;
import io.ghostwatch.run.CheckOutcome;
import io.ghostwatch.snapshot.Snapshot;
import io.ghostwatch.snapshot.TargetSchema;
import io.ghostwatch.snapshot.Unmatched;
import io.ghostwatch.sql.Identifier;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Runbook scenario 4: soft-delete orphaned profiles (set the soft-delete column), never hard-delete. The
 * runbook first asks whether the identities were deleted on purpose, so the command demands a flag saying so.
 */
final class OrphanFix implements Fix {

    private final boolean confirmedIntentional;

    OrphanFix(boolean confirmedIntentional) {
        this.confirmedIntentional = confirmedIntentional;
    }

    @Override
    public String action() {
        return "orphans";
    }

    @Override
    public Plan plan(Settings settings, CheckOutcome outcome) {
        Snapshot before = outcome.snapshot();
        if (settings.schema().softDeleteColumn().isEmpty()) {
            return Plan.refused("no soft-delete column is configured (ghostwatch.profile.soft-delete-column=none):"
                    + " ghostwatch never hard-deletes profiles");
        }
        if (before.orphans().unhandled() == 0) {
            return Plan.nothing("no orphaned profiles: nothing to soft-delete");
        }
        if (!confirmedIntentional) {
            return Plan.refused(before.orphans().unhandled() + " orphaned profiles: the runbook asks first whether"
                    + " their identities were deleted on purpose; if they were, rerun with"
                    + " --deleted-intentionally, if not, escalate instead (scenario 4)");
        }
        return Plan.of(before.orphans().unhandled(), List.of(), List.of());
    }

    @Override
    public BatchWriter writer(Connection c, Settings settings, CheckOutcome before) {
        return IdBatches.statement(batchSql(settings, "?", Optional.empty()),
                batchSql(settings, "?", Optional.of("?")),
                "by setting " + settings.schema().softDeleteColumn().orElseThrow() + " = now()",
                failure -> Optional.empty());
    }

    static String batchSql(Settings settings, String idsParam, Optional<String> remediationParam) {
        TargetSchema s = settings.schema();
        Identifier soft = s.softDeleteColumn().orElseThrow();
        String pid = s.profileId().quoted();
        return "WITH updated AS (UPDATE " + s.profileTable().quoted() + " p SET " + soft.quoted() + " = now()"
                + " WHERE p." + pid + " = ANY (" + idsParam + ") AND p." + soft.quoted() + " IS NULL AND NOT EXISTS"
                + " (SELECT 1 FROM " + s.identityTable().quoted() + " i WHERE i." + s.identityId().quoted()
                + " = p." + pid + ") RETURNING p." + pid + ")"
                + remediationParam.map(r -> IdBatches.recordAndCount(settings, "updated", pid, r))
                .orElse(IdBatches.count("updated"));
    }

    @Override
    public Optional<List<String>> rows(Connection c, Settings settings) throws SQLException {
        return Optional.of(Unmatched.unhandledOrphans(c, settings.schema(), settings.statementTimeout(),
                settings.lockTimeout()));
    }

    @Override
    public boolean resolved(CheckOutcome after) {
        return after.snapshot().orphans().unhandled() == 0;
    }
}
