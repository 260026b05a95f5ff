package io.ghostwatch.remediate;

import io.ghostwatch.config.Settings;
import io.ghostwatch.snapshot.Ghosts;
import io.ghostwatch.snapshot.Snapshot;
import io.ghostwatch.snapshot.TargetSchema;
import io.ghostwatch.snapshot.Unmatched;
import io.ghostwatch.throttle.Throttle;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Runbook Step 4: create the missing profiles. The ghosts' ids are read once, when it plans (one merge join
 * over both primary keys), and only they are written: batches of them, each its own short transaction, each
 * id re-checked, {@code ON CONFLICT DO NOTHING} so a signup whose trigger inserts the same id meanwhile is
 * neither blocked for long nor duplicated; the repaired ids are recorded in the same transaction, so a
 * killed run leaves exactly what it committed, and a rerun completes it.
 */
final class BackfillFix implements Fix {

    private final boolean triggerNotFiringOk;

    BackfillFix(boolean triggerNotFiringOk) {
        this.triggerNotFiringOk = triggerNotFiringOk;
    }

    @Override
    public String action() {
        return "backfill";
    }

    @Override
    public Plan plan(Settings settings, Snapshot before) {
        Ghosts g = before.ghosts();
        if (g.total() == 0) {
            return Plan.nothing("no ghost users: nothing to backfill");
        }
        if (!before.trigger().fires() && !triggerNotFiringOk) {
            return Plan.refused("the sync trigger " + settings.schema().triggerName() + " on "
                    + settings.schema().identityTable() + " does not fire, so every signup meanwhile is a new ghost"
                    + " behind the backfill: restore it first with `ghostwatch fix trigger` (Step 3A), then"
                    + " backfill (Step 4); --trigger-not-firing-ok backfills anyway");
        }
        return Plan.of(g.total(), g.sample().stream().map(Ghosts.GhostRow::id).toList(),
                List.of(batchSql(settings, "$ids", "$remediation")));
    }

    static String batchSql(Settings settings, String idsParam, String remediationParam) {
        TargetSchema s = settings.schema();
        String iid = s.identityId().quoted();
        String pid = s.profileId().quoted();
        String excluded = " AND NOT " + s.excludedIdentity("i");
        // No pre-check: ON CONFLICT skips an id whose profile a signup made meanwhile, with one probe, not two.
        return "WITH inserted AS (INSERT INTO " + s.profileTable().quoted() + " ("
                + settings.remediation().backfillColumns().targetList() + ") SELECT "
                + settings.remediation().backfillColumns().selectList() + " FROM " + s.identityTable().quoted()
                + " i WHERE i." + iid + " = ANY (" + idsParam + ")" + excluded + " ON CONFLICT (" + pid
                + ") DO NOTHING RETURNING " + pid + ")" + IdBatches.recordAndCount(settings, "inserted", pid,
                remediationParam);
    }

    @Override
    public Optional<List<String>> rows(Connection c, Settings settings) throws SQLException {
        return Optional.of(Unmatched.ghosts(c, settings.schema(), settings.statementTimeout(),
                settings.lockTimeout()));
    }

    @Override
    public long apply(Connection c, Settings settings, Plan plan, UUID remediationId, Audit audit,
                      Progress progress, Throttle throttle) throws SQLException {
        return IdBatches.run(c, settings, batchSql(settings, "?", "?"), plan.ids(), remediationId, progress,
                throttle);
    }

    @Override
    public boolean resolved(Snapshot after) {
        return after.ghosts().total() == 0;
    }
}
