package io.ghostwatch.notify;

/** Why a notification goes out. */
public enum NotificationKind {
    /** OK became P2, P1 or P0. */
    OPENED,
    /** The priority went up (P1 to P0). */
    RAISED,
    /** The priority went down but not to OK (P0 to P1). */
    LOWERED,
    /** Unresolved at the same priority for a reminder interval; may carry the runbook's escalation. */
    REMINDER,
    /** Back to OK. */
    RESOLVED,
    /** History is off, so nothing is known of earlier runs: every non-OK run says so. */
    ALERT;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
