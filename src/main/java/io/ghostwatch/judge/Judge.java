package io.ghostwatch.judge;

import io.ghostwatch.snapshot.Snapshot;
import io.ghostwatch.snapshot.TargetSchema;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs every quality check over a snapshot; the overall priority is the highest finding's. Pure. */
public final class Judge {

    /** In the runbook's order (Step 5's expected output). */
    private static final List<QualityCheck> CHECKS = List.of(
            new GhostUsersCheck(), new OrphanedProfilesCheck(), new CountParityCheck(), new TriggerCheck());

    /** Findings of equal priority follow the runbook's response order: fix the trigger (Step 3) before Step 4. */
    private static final List<Class<? extends QualityCheck>> FINDING_ORDER = List.of(
            TriggerCheck.class, GhostUsersCheck.class, OrphanedProfilesCheck.class, CountParityCheck.class);

    private Judge() {
    }

    public static Verdict judge(Snapshot snapshot, Policy policy, TargetSchema schema) {
        List<CheckRow> rows = new ArrayList<>();
        Map<Class<?>, List<Finding>> byCheck = new HashMap<>();
        for (QualityCheck check : CHECKS) {
            CheckResult result = check.evaluate(snapshot, policy, schema);
            rows.add(result.row());
            byCheck.put(check.getClass(), result.findings());
        }
        List<Finding> findings = new ArrayList<>();
        FINDING_ORDER.forEach(type -> findings.addAll(byCheck.getOrDefault(type, List.of())));
        findings.sort(Comparator.comparingInt((Finding f) -> f.priority().level()).reversed());
        Priority overall = findings.stream().map(Finding::priority).reduce(Priority.OK, Priority::max);
        return new Verdict(overall, rows, findings);
    }
}
