package io.ghostwatch.judge;

/** The runbook's priorities, ordered; {@link #level()} is the value of the {@code ghostwatch_priority} gauge. */
public enum Priority {
    OK(0, "nothing to do"),
    P2(1, "warning: handle asynchronously (data quality)"),
    P1(2, "respond within 1 hour"),
    P0(3, "respond immediately");

    private final int level;
    private final String response;

    Priority(int level, String response) {
        this.level = level;
        this.response = response;
    }

    public int level() {
        return level;
    }

    /** What the runbook's escalation table expects of the on-call at this priority. */
    public String response() {
        return response;
    }

    public boolean atLeast(Priority other) {
        return level >= other.level;
    }

    public static Priority max(Priority a, Priority b) {
        return a.level >= b.level ? a : b;
    }
}
