package io.ghostwatch.remediate;

import io.ghostwatch.config.Settings;
import io.ghostwatch.diagnose.Cause;
import io.ghostwatch.run.CheckOutcome;
import io.ghostwatch.snapshot.Ghosts;
import io.ghostwatch.snapshot.Snapshot;
import io.ghostwatch.snapshot.TargetSchema;
import io.ghostwatch.snapshot.Unmatched;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Runbook Step 4: create the missing profiles. The ghosts' ids are read once, when it plans (one merge join
 * over both primary keys), and only they are written, in batches, each its own short transaction, each id
 * re-checked, the repaired ids recorded in the same transaction, so a killed run leaves exactly what it
 * committed and a rerun completes it. A batch replays the sync function on its ghosts ({@link SyncReplay}:
 * what the trigger would have written) or, as the fallback, inserts the configured column mapping with
 * {@code ON CONFLICT DO NOTHING} so a signup whose trigger writes the same id meanwhile is neither blocked for
 * long nor duplicated.
 */
final class BackfillFix implements Fix {

    private final boolean triggerNotFiringOk;
    private final boolean deletesSkippedOk;

    BackfillFix(boolean triggerNotFiringOk) {
        this(triggerNotFiringOk, false);
    }

    BackfillFix(boolean triggerNotFiringOk, boolean deletesSkippedOk) {
        this.triggerNotFiringOk = triggerNotFiringOk;
        this.deletesSkippedOk = deletesSkippedOk;
    }

    @Override
    public String action() {
        return "backfill";
    }

    @Override
    public Plan plan(Settings settings, CheckOutcome outcome) {
        Snapshot before = outcome.snapshot();
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
        Optional<String> skipped = SkippedDeletes.refusal(settings, outcome, deletesSkippedOk, "a ghost",
                "ghostwatch export affected");
        if (skipped.isPresent()) {
            return Plan.refused(skipped.get());
        }
        Optional<String> unfit = replayUnfit(outcome);
        if (settings.remediation().backfillMode() == RemediationSettings.BackfillMode.REPLAY && unfit.isPresent()) {
            return Plan.refused("ghostwatch.remediate.backfill-mode=replay, but " + unfit.get()
                    + "; fix that first, or set the mode to mapping (ghostwatch.remediate.backfill-columns)");
        }
        return Plan.of(g.total(), g.sample().stream().map(Ghosts.GhostRow::id).toList(), List.of());
    }

    /** Why the sync function cannot be replayed: it is missing, or a cause says it fails every signup. */
    private static Optional<String> replayUnfit(CheckOutcome outcome) {
        if (!outcome.snapshot().trigger().present()) {
            return Optional.of("the sync trigger is missing, so there is no function to replay");
        }
        if (outcome.snapshot().trigger().cannotSync().isPresent()) {
            return Optional.of("the sync trigger cannot sync a row: " + outcome.snapshot().trigger().cannotSync()
                    .get());
        }
        return outcome.evidence().causes().stream().filter(c -> c.effect() == Cause.Effect.FAILS_EVERY_SIGNUP)
                .findFirst().map(c -> "the sync function fails every signup (" + c.code() + ": " + c.summary() + ")");
    }

    @Override
    public Optional<List<String>> rows(Connection c, Settings settings) throws SQLException {
        return Optional.of(Unmatched.ghosts(c, settings.schema(), settings.statementTimeout(),
                settings.lockTimeout()));
    }

    @Override
    public BatchWriter writer(Connection c, Settings settings, CheckOutcome before) throws SQLException {
        RemediationSettings.BackfillMode mode = settings.remediation().backfillMode();
        Optional<String> unfit = replayUnfit(before);
        if (mode != RemediationSettings.BackfillMode.MAPPING && unfit.isEmpty()) {
            Optional<SyncReplay> replay = SyncReplay.of(c, settings);
            if (replay.isPresent()) {
                return replay.get();
            }
        }
        String why = mode == RemediationSettings.BackfillMode.MAPPING ? "ghostwatch.remediate.backfill-mode=mapping"
                : unfit.orElse("the sync function was not found");
        return IdBatches.statement(mappingSql(settings, "?", Optional.empty()),
                mappingSql(settings, "?", Optional.of("?")), "by the column mapping ghostwatch.remediate"
                        + ".backfill-columns (" + why + ")", failure -> mappingHint(settings, failure));
    }

    /** An undefined column (42703) in the mapping's statement is the mapping's: it names what the tables lack. */
    private static Optional<String> mappingHint(Settings settings, SQLException failure) {
        if (!"42703".equals(failure.getSQLState())) {
            return Optional.empty();
        }
        return Optional.of("the column mapping ghostwatch.remediate.backfill-columns names a column "
                + settings.schema().profileTable() + " or " + settings.schema().identityTable() + " lacks; set it"
                + " to the profile table's columns, or let the backfill replay the sync function:"
                + " ghostwatch.remediate.backfill-mode=auto");
    }

    static String mappingSql(Settings settings, String idsParam, Optional<String> remediationParam) {
        TargetSchema s = settings.schema();
        String iid = s.identityId().quoted();
        String pid = s.profileId().quoted();
        // No pre-check: ON CONFLICT skips an id whose profile a signup made meanwhile, with one probe, not two.
        return "WITH inserted AS (INSERT INTO " + s.profileTable().quoted() + " ("
                + settings.remediation().backfillColumns().targetList() + ") SELECT "
                + settings.remediation().backfillColumns().selectList() + " FROM " + s.identityTable().quoted()
                + " i WHERE i." + iid + " = ANY (" + idsParam + ") AND NOT " + s.excludedIdentity("i")
                + " ON CONFLICT (" + pid + ") DO NOTHING RETURNING " + pid + ")"
                + remediationParam.map(r -> IdBatches.recordAndCount(settings, "inserted", pid, r))
                .orElse(IdBatches.count("inserted"));
    }

    @Override
    public boolean resolved(CheckOutcome after) {
        return after.snapshot().ghosts().total() == 0;
    }
}
