package io.ghostwatch.judge;

import java.util.List;

/** A quality check's row in the report and the findings behind it. */
public record CheckResult(CheckRow row, List<Finding> findings) {

    public CheckResult {
        findings = List.copyOf(findings);
    }
}
