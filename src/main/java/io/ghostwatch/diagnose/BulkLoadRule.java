package io.ghostwatch.diagnose;

import io.ghostwatch.snapshot.GhostWindow;

import java.util.List;

/**
 * A signup inserts one identity per transaction. Ghosts that share a transaction ({@code xmin}) while the
 * trigger fires were loaded in bulk with triggers off: Supabase's data dumps restore with
 * {@code session_replication_role = replica}, which skips the sync trigger while the trigger and canary look
 * healthy.
 */
final class BulkLoadRule implements CauseRule {

    @Override
    public void find(CauseContext ctx, List<Cause> causes) {
        GhostWindow.BulkLoads bulk = ctx.snapshot().window().bulk().orElse(GhostWindow.BulkLoads.NONE);
        if (bulk.transactions() == 0 || !ctx.snapshot().trigger().fires()) {
            return;
        }
        String range = bulk.first().map(t -> " created " + t + " to " + bulk.last().map(Object::toString)
                .orElse("?")).orElse("");
        causes.add(Cause.heuristic(CauseCode.GHOSTS_FROM_BULK_LOAD, Cause.Effect.LEAVES_GHOSTS, bulk.rows() + " ghosts"
                        + " arrived " + bulk.transactions() + (bulk.transactions() == 1 ? " transaction" : " transactions")
                        + " at a time" + range + ": the signature of a restore or bulk load with triggers off"
                        + " (session_replication_role = replica), not of signups",
                bulk.transactions() + " transactions (xmin) each holding several ghosts", "backfill them (Step 4:"
                        + " ghostwatch fix backfill); load future dumps with the sync trigger firing, or backfill"
                        + " after every restore"));
    }
}
