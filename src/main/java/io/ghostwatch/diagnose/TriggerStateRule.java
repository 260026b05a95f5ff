package io.ghostwatch.diagnose;

import io.ghostwatch.snapshot.TriggerState;

import java.util.List;

/**
 * Step 2 comes first in Step 3's list of causes: a sync trigger that is missing, disabled, replica-only or
 * silenced by a persisted {@code session_replication_role = replica}. {@code check} reports the same state as
 * its trigger finding; {@code diagnose} names it with the same evidence and fix.
 */
final class TriggerStateRule implements CauseRule {

    @Override
    public void find(CauseContext ctx, List<Cause> causes) {
        TriggerState t = ctx.snapshot().trigger();
        String name = ctx.schema().triggerName() + " on " + ctx.schema().identityTable();
        if (!t.present()) {
            causes.add(Cause.certain(CauseCode.TRIGGER_MISSING, Cause.Effect.TRIGGER_NOT_FIRING, "sync trigger " + name
                    + " does not exist: signups create identities without profiles", "no pg_trigger row named "
                    + ctx.schema().triggerName() + " on " + ctx.schema().identityTable()
                    + (t.sameNameElsewhere().isEmpty() ? "" : "; one of that name is on "
                    + String.join(", ", t.sameNameElsewhere())), "re-run the migration that creates it"
                    + " (ghostwatch fix trigger --from-file FILE --apply --reason …), then backfill (Step 4)"));
            return;
        }
        String state = t.tgenabled().orElseThrow();
        if (state.equals("D")) {
            causes.add(Cause.certain(CauseCode.TRIGGER_DISABLED, Cause.Effect.TRIGGER_NOT_FIRING, "sync trigger " + name
                    + " is disabled: signups create identities without profiles", "tgenabled = D",
                    ctx.schema().enableTriggerStatement() + " then backfill (Step 4)"));
        } else if (state.equals("R")) {
            causes.add(Cause.certain(CauseCode.TRIGGER_REPLICA_ONLY, Cause.Effect.TRIGGER_NOT_FIRING, "sync trigger "
                    + name + " fires only for replication sessions, so ordinary signups skip it", "tgenabled = R",
                    ctx.schema().enableTriggerStatement() + " then backfill (Step 4)"));
        } else if (!state.equals("A")) {
            for (TriggerState.ReplicaOverride o : t.replicaOverrides()) {
                causes.add(Cause.certain(CauseCode.REPLICATION_ROLE_REPLICA, Cause.Effect.TRIGGER_NOT_FIRING,
                        "session_replication_role = replica is persisted for " + o.scope()
                                + ": ordinary triggers do not fire there", o.scope(), o.undo()
                                + " (open sessions keep replica mode until they reconnect)"));
            }
        }
    }
}
