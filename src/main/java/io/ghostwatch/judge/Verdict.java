package io.ghostwatch.judge;

import java.util.List;

/**
 * The judgement of one snapshot: the overall priority, the runbook-shaped rows, and the findings, worst first.
 *
 * @param signupBlockers sessions judged to block signups (held long enough, or making one wait)
 */
public record Verdict(Priority priority, List<CheckRow> rows, List<Finding> findings, int signupBlockers) {

    public Verdict {
        rows = List.copyOf(rows);
        findings = List.copyOf(findings);
    }

    public Verdict(Priority priority, List<CheckRow> rows, List<Finding> findings) {
        this(priority, rows, findings, 0);
    }
}
