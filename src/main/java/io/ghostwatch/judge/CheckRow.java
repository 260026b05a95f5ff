package io.ghostwatch.judge;

/** One row of the runbook's {@code run_user_sync_quality_check()} output. */
public record CheckRow(String checkName, boolean passed, long issueCount, String severity, String message) {
}
