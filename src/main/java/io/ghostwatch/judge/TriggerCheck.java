package io.ghostwatch.judge;

import io.ghostwatch.snapshot.Snapshot;
import io.ghostwatch.snapshot.TargetSchema;
import io.ghostwatch.snapshot.TriggerState;

import java.util.ArrayList;
import java.util.List;

/**
 * Runbook Step 2: does the sync trigger exist on the identity table and fire for signups. Matches name and
 * table, treats {@code A} as firing and {@code R} as not, and honours persisted replica settings (DESIGN.md's
 * traps). When it fires and ghosts still appear, points at Step 3C.
 */
public final class TriggerCheck implements QualityCheck {

    @Override
    public CheckResult evaluate(Snapshot snapshot, Policy policy, TargetSchema schema) {
        TriggerState t = snapshot.trigger();
        String name = schema.triggerName() + " on " + schema.identityTable();
        List<Finding> findings = new ArrayList<>();
        String message;

        if (!t.present()) {
            message = "Sync trigger " + name + " does not exist";
            findings.add(missing(t, schema, name));
        } else if (!t.fires()) {
            String state = t.tgenabled().orElseThrow();
            if (state.equals("D")) {
                message = "Sync trigger " + name + " is disabled (tgenabled = D)";
                findings.add(new Finding(FindingCode.TRIGGER_DISABLED, Priority.P0, "Step 3A",
                        message + ": signups create identities without profiles.", enable(schema)));
            } else if (state.equals("R")) {
                message = "Sync trigger " + name + " fires only for replication sessions (tgenabled = R)";
                findings.add(new Finding(FindingCode.TRIGGER_REPLICA_ONLY, Priority.P0, "Step 3A",
                        message + ", so ordinary signups skip it.", enable(schema)));
            } else {
                message = "Sync trigger " + name + " is enabled (tgenabled = " + state
                        + ") but session_replication_role = replica is persisted for "
                        + String.join(", ", t.replicaOverrides().stream().map(TriggerState.ReplicaOverride::scope)
                        .toList());
                List<String> actions = new ArrayList<>(t.replicaOverrides().stream()
                        .map(TriggerState.ReplicaOverride::undo).toList());
                actions.add("Sessions already open keep replica mode until they reconnect; restart the auth"
                        + " service's connection pool after the reset.");
                findings.add(new Finding(FindingCode.TRIGGER_SUPPRESSED, Priority.P0, "Step 3A",
                        message + ": ordinary (origin-enabled) triggers do not fire in those sessions.", actions));
            }
        } else if (t.cannotSync().isPresent()) {
            // The causes name it as a P0 finding (trigger_statement_level, trigger_not_on_insert); the row fails.
            message = "Sync trigger " + name + " is enabled (tgenabled = " + t.tgenabled().orElseThrow()
                    + ") but cannot sync a row: " + t.cannotSync().get();
        } else {
            message = "User sync trigger is active (tgenabled = " + t.tgenabled().orElseThrow() + ")";
        }

        if (t.present() && !matchesConfiguredFunction(t, schema)) {
            findings.add(new Finding(FindingCode.TRIGGER_FUNCTION_MISMATCH, Priority.OK, "Step 3B",
                    "Sync trigger " + name + " executes " + t.function().orElse("?") + ", not the configured "
                            + schema.triggerFunction() + ".",
                    List.of("Set ghostwatch.trigger.function if this is intended; otherwise re-run the sync"
                            + " migration.")));
        }
        if (t.fires() && t.cannotSync().isEmpty() && snapshot.ghosts().total() > 0) {
            findings.add(enabledButGhosts(snapshot, policy, schema));
        }
        boolean passed = t.fires() && t.cannotSync().isEmpty();
        return new CheckResult(new CheckRow("trigger_exists_check", passed, passed ? 0 : 1, "critical", message),
                findings);
    }

    /**
     * Ghosts beside a trigger that fires: Step 3C when some were made while it fired (the function fails or skips
     * rows); Step 4 when earlier checks saw every one of them made while it did not fire, an outage already over.
     */
    private static Finding enabledButGhosts(Snapshot snapshot, Policy policy, TargetSchema schema) {
        long total = snapshot.ghosts().total();
        long whileOff = snapshot.window().whileTriggerNotFiring().orElse(0);
        Priority priority = policy.ghostPriority(snapshot.ghosts());
        if (whileOff >= total) {
            return new Finding(FindingCode.TRIGGER_ENABLED_BUT_GHOSTS, priority, "Step 4",
                    "The sync trigger fires again; all " + total + " ghosts were created while earlier checks saw it"
                            + " not firing: the outage is over and its ghosts are left to backfill.",
                    List.of("Runbook Step 4: ghostwatch fix backfill (dry run first), then --apply --reason \"...\".",
                            "Step 6: ghostwatch export affected, for the users who could not use the app."));
        }
        String known = whileOff > 0 ? " (" + whileOff + " of them created while earlier checks saw it not firing)"
                : "";
        return new Finding(FindingCode.TRIGGER_ENABLED_BUT_GHOSTS, priority, "Step 3C",
                "The sync trigger fires, yet " + total + " identities have no profile" + known
                        + ": the function fails or skips rows, or the trigger was broken earlier (scenario 3 when"
                        + " all ghosts are old).",
                List.of("Runbook Step 3C: inspect " + schema.triggerFunction()
                                + " (definition, privileges, constraint violations) and escalate to @isabel"
                                + " @buck with the ghost count and time range.",
                        "Backfill (Step 4) while the investigation continues."));
    }

    private static Finding missing(TriggerState t, TargetSchema schema, String name) {
        StringBuilder summary = new StringBuilder("Sync trigger " + name + " does not exist");
        if (!t.sameNameElsewhere().isEmpty()) {
            summary.append("; a trigger of that name exists on ").append(String.join(", ", t.sameNameElsewhere()))
                    .append(", which is not the sync trigger");
        }
        summary.append(t.configuredFunctionExists()
                ? "; function " + schema.triggerFunction() + " exists"
                : "; function " + schema.triggerFunction() + " is missing too");
        List<String> actions = List.of(
                "Runbook Step 3B: re-run the migration that creates " + schema.triggerFunction() + " and "
                        + schema.triggerName() + " (e.g. supabase migration up, or the migration file by hand).",
                "Verify: SELECT tgname, tgenabled FROM pg_trigger WHERE tgname = '" + schema.triggerName()
                        + "' AND tgrelid = '" + schema.identityTable().quoted() + "'::regclass;");
        return new Finding(FindingCode.TRIGGER_MISSING, Priority.P0, "Step 3B", summary + ".", actions);
    }

    /** The exact Step 3A statement for the configured names; it also turns {@code R} back into {@code O}. */
    static List<String> enable(TargetSchema schema) {
        return List.of(schema.enableTriggerStatement(),
                "Then backfill the ghosts created while it was off (Step 4).");
    }

    private static boolean matchesConfiguredFunction(TriggerState t, TargetSchema schema) {
        return t.function().map(f -> f.equals(schema.triggerFunction().toString())).orElse(false);
    }
}
