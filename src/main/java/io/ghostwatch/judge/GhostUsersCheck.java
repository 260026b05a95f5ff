package io.ghostwatch.judge;

import io.ghostwatch.snapshot.Ghosts;
import io.ghostwatch.snapshot.Snapshot;
import io.ghostwatch.snapshot.TargetSchema;

import java.util.ArrayList;
import java.util.List;

/** Runbook "Manual Check" and Step 1: identities without a profile, and how urgent they are. */
public final class GhostUsersCheck implements QualityCheck {

    @Override
    public CheckResult evaluate(Snapshot snapshot, Policy policy, TargetSchema schema) {
        Ghosts g = snapshot.ghosts();
        String oldAfter = Durations.human(policy.oldAfter());
        if (g.total() == 0) {
            return new CheckResult(new CheckRow("ghost_users_check", true, 0, "critical", "No ghost users detected"),
                    List.of());
        }
        String message = describe(snapshot, policy);
        Priority priority = policy.ghostPriority(g);
        FindingCode code;
        String why;
        if (g.old() > 0) {
            code = FindingCode.GHOST_USERS_OLD;
            why = "ghosts older than " + oldAfter + " (or with no created_at) are P0";
        } else if (g.total() > policy.p0Count()) {
            code = FindingCode.GHOST_USERS_MANY;
            why = "more than " + policy.p0Count() + " ghosts is P0";
        } else {
            code = FindingCode.GHOST_USERS_RECENT;
            why = "1 to " + policy.p0Count() + " ghosts, all younger than " + oldAfter + ", is P1";
        }
        List<String> actions = new ArrayList<>();
        actions.add("Runbook Step 2: check the trigger state (see trigger_exists_check) before backfilling.");
        actions.add("Runbook Step 4: backfill the missing " + schema.profileTable() + " rows from "
                + schema.identityTable() + " (preview first; INSERT ... ON CONFLICT (id) DO NOTHING).");
        actions.add("Runbook Step 6: export the affected users for Customer Success before the backfill.");
        Finding finding = new Finding(code, priority, "Step 4", message + "; " + why + ".", actions);
        return new CheckResult(new CheckRow("ghost_users_check", false, g.total(), "critical", message),
                List.of(finding));
    }

    static String describe(Snapshot snapshot, Policy policy) {
        Ghosts g = snapshot.ghosts();
        StringBuilder s = new StringBuilder();
        s.append(g.total()).append(g.total() == 1 ? " ghost user" : " ghost users");
        List<String> parts = new ArrayList<>();
        if (g.old() > 0) {
            String old = g.old() + " older than " + Durations.human(policy.oldAfter());
            if (g.withoutCreatedAt() > 0) {
                old += " (" + g.withoutCreatedAt() + " with no created_at)";
            }
            parts.add(old);
        }
        if (g.recent() > 0) {
            parts.add(g.recent() + " created within the last " + Durations.human(policy.recentWindow()));
        }
        if (g.oldestCreatedAt().isPresent()) {
            parts.add("oldest " + Durations.human(g.oldestAge(snapshot.databaseTime())) + " old");
        }
        if (!parts.isEmpty()) {
            s.append(": ").append(String.join(", ", parts));
        }
        return s.toString();
    }
}
