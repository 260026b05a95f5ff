package io.ghostwatch.remediate;

import io.ghostwatch.config.Settings;
import io.ghostwatch.snapshot.Ghosts;
import io.ghostwatch.snapshot.Snapshot;
import io.ghostwatch.snapshot.TargetSchema;
import io.ghostwatch.throttle.Throttle;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/**
 * Runbook Step 4: create the missing profiles. Keyset batches over the identity primary key, each its own
 * short transaction, {@code ON CONFLICT DO NOTHING} so a signup whose trigger inserts the same id meanwhile
 * is neither blocked for long nor duplicated; the repaired ids are recorded in the same transaction, so a
 * killed run leaves exactly what it committed, and a rerun completes it.
 */
final class BackfillFix implements Fix {

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
        return Plan.of(g.total(), g.sample().stream().map(Ghosts.GhostRow::id).toList(),
                List.of(batchSql(settings, "$last_id", "$batch", "$remediation")));
    }

    static String batchSql(Settings settings, String afterParam, String limitParam, String remediationParam) {
        TargetSchema s = settings.schema();
        String iid = s.identityId().quoted();
        String pid = s.profileId().quoted();
        String anonymous = s.anonymousColumn().map(c -> " AND NOT coalesce(i." + c.quoted() + ", false)").orElse("");
        String after = afterParam == null ? "" : " AND i." + iid + " > " + afterParam;
        return "WITH batch AS (SELECT i." + iid + " AS id FROM " + s.identityTable().quoted() + " i"
                + " WHERE NOT EXISTS (SELECT 1 FROM " + s.profileTable().quoted() + " p WHERE p." + pid + " = i."
                + iid + ")" + anonymous + after + " ORDER BY i." + iid + " LIMIT " + limitParam + "),"
                + " inserted AS (INSERT INTO " + s.profileTable().quoted() + " ("
                + settings.remediation().backfillColumns().targetList() + ") SELECT "
                + settings.remediation().backfillColumns().selectList() + " FROM " + s.identityTable().quoted()
                + " i JOIN batch b ON b.id = i." + iid + " ON CONFLICT (" + pid + ") DO NOTHING RETURNING " + pid
                + ")" + KeysetBatches.recordAndCount(settings, "inserted", pid, remediationParam);
    }

    @Override
    public long apply(Connection c, Settings settings, Plan plan, UUID remediationId, Audit audit,
                      Progress progress, Throttle throttle) throws SQLException {
        return KeysetBatches.run(c, settings, batchSql(settings, null, "?", "?"),
                batchSql(settings, "?", "?", "?"), remediationId, progress, throttle);
    }

    @Override
    public boolean resolved(Snapshot after) {
        return after.ghosts().total() == 0;
    }
}
