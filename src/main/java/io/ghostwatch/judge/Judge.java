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

    /** The canary's and the causes' findings, which add no row to the runbook's table. */
    private static final List<FindingRule> RULES = List.of(new SignupsBlockedCheck(), new SignupAttemptsCheck(),
            new SignupCanaryCheck(), new CauseCheck(), new ContractCheck(), new DeleteSkipCheck(),
            new WriteStoppedCheck(), new ContractRowsCheck(), new TakenSinceCheck());

    /**
     * Findings of equal priority follow the runbook's response order: a lock that holds every signup, the
     * trigger (Step 3), what signups do now (their own counts, the canary), why (causes), then Step 4.
     */
    private static final List<Class<?>> FINDING_ORDER = List.of(SignupsBlockedCheck.class, TriggerCheck.class,
            SignupAttemptsCheck.class, SignupCanaryCheck.class, CauseCheck.class, WriteStoppedCheck.class, GhostUsersCheck.class, TakenSinceCheck.class, ContractRowsCheck.class,
            DeleteSkipCheck.class, OrphanedProfilesCheck.class, CountParityCheck.class, ContractCheck.class);

    private Judge() {
    }

    /** A snapshot alone: no canary ran and no cause was read. */
    public static Verdict judge(Snapshot snapshot, Policy policy, TargetSchema schema) {
        return judge(Evidence.of(snapshot), policy, schema);
    }

    public static Verdict judge(Evidence evidence, Policy policy, TargetSchema schema) {
        List<CheckRow> rows = new ArrayList<>();
        Map<Class<?>, List<Finding>> byCheck = new HashMap<>();
        for (QualityCheck check : CHECKS) {
            CheckResult result = check.evaluate(evidence.snapshot(), policy, schema);
            rows.add(result.row());
            byCheck.put(check.getClass(), result.findings());
        }
        for (FindingRule rule : RULES) {
            byCheck.put(rule.getClass(), rule.findings(evidence, policy, schema));
        }
        List<Finding> findings = new ArrayList<>();
        FINDING_ORDER.forEach(type -> findings.addAll(byCheck.getOrDefault(type, List.of())));
        findings.sort(Comparator.comparingInt((Finding f) -> f.priority().level()).reversed());
        Priority overall = findings.stream().map(Finding::priority).reduce(Priority.OK, Priority::max);
        return new Verdict(overall, rows, findings, SignupsBlockedCheck.blocking(evidence, policy).size());
    }
}
