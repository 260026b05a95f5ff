package io.ghostwatch.judge;

import java.util.List;

/** The judgement of one snapshot: the overall priority, the runbook-shaped rows, and the findings, worst first. */
public record Verdict(Priority priority, List<CheckRow> rows, List<Finding> findings) {

    public Verdict {
        rows = List.copyOf(rows);
        findings = List.copyOf(findings);
    }
}
