package io.ghostwatch.metrics;

import java.util.Map;
import java.util.Optional;

/**
 * Every series ghostwatch exports, named as in DESIGN.md, with its HELP text. Each carries the
 * {@code target} label. Values are set in {@link RunMetrics}; nothing else names a metric.
 */
public enum Metric {
    GHOST_USERS("ghostwatch_ghost_users", "Ghost users now: identities without a profile."),
    GHOST_USERS_OLD("ghostwatch_ghost_users_old",
            "Ghost users older than old-after, or with no created_at (P0 at any value above 0)."),
    GHOST_OLDEST_AGE("ghostwatch_ghost_oldest_age_seconds",
            "Age of the oldest ghost in seconds; 0 when none, +Inf when a ghost has no created_at."),
    ORPHANED_PROFILES("ghostwatch_orphaned_profiles",
            "Profiles without an identity, soft-deleted ones excluded."),
    AUTH_USERS("ghostwatch_auth_users", "Rows in the identity table."),
    PROFILES("ghostwatch_profiles", "Rows in the profile table, soft-deleted ones included."),
    PARITY_DELTA("ghostwatch_count_parity_delta", "Identity rows minus profile rows."),
    TRIGGER_PRESENT("ghostwatch_trigger_present", "1 when the sync trigger exists on the identity table."),
    TRIGGER_ENABLED("ghostwatch_trigger_enabled",
            "1 when the sync trigger exists and fires for signups (tgenabled O or A, no replica override)."),
    PRIORITY("ghostwatch_priority", "Priority of the last completed check: 0 OK, 1 P2, 2 P1, 3 P0."),
    UP("ghostwatch_up", "1 when the last run reached the database and finished its checks."),
    LAST_RUN_TIMESTAMP("ghostwatch_last_run_timestamp_seconds", "Unix time the last run ended."),
    LAST_SUCCESS_TIMESTAMP("ghostwatch_last_success_timestamp_seconds",
            "Unix time the last run with ghostwatch_up 1 ended."),
    CHECK_DURATION("ghostwatch_check_duration_seconds", "How long the last run's database work took."),
    LAST_FULL_SCAN_TIMESTAMP("ghostwatch_last_full_scan_timestamp_seconds",
            "Unix time the ghost and orphan numbers were last computed by a full scan (steady state carries them)."),
    CANARY_SUCCESS("ghostwatch_canary_success",
            "1 when the signup canary's synthetic identity got its profile, 0 when not (absent when off)."),
    /*
     * A gauge of the last run, not a counter: a CronJob process lives for one run, so a counter would restart at
     * every push anyway; "failed in the last run" is what an alert can use in both modes.
     */
    NOTIFICATION_FAILURES("ghostwatch_notification_failures",
            "Notification deliveries that failed in the last run."),
    NOTIFICATIONS_PENDING("ghostwatch_notifications_pending",
            "Undelivered notifications kept in the outbox for the next run."),
    IDENTITY_INSERTS("ghostwatch_identity_inserts_total",
            "Rows ever inserted into the identity table (pg_stat_user_tables.n_tup_ins): rate() is the signup rate.",
            true),
    PROFILE_INSERTS("ghostwatch_profile_inserts_total",
            "Rows ever inserted into the profile table (pg_stat_user_tables.n_tup_ins).", true),
    SIGNUP_ATTEMPTS_COMMITTED("ghostwatch_signup_attempts", Help.SIGNUP_ATTEMPTS, "outcome", "committed"),
    SIGNUP_ATTEMPTS_ROLLED_BACK("ghostwatch_signup_attempts", Help.SIGNUP_ATTEMPTS, "outcome", "rolled_back"),
    SIGNUPS_FAILING("ghostwatch_signups_failing",
            "1 while every signup attempt since the last committed one rolled back (P0 signups_failing)."),
    SIGNUP_BLOCKERS("ghostwatch_signup_blockers",
            "Sessions holding a lock on the identity or profile table that signups wait for, held at least"
                    + " signups-blocked-after or with a session already waiting (P0 signups_blocked).");

    /** Texts that several members share (an enum's constants cannot read its own static fields). */
    private static final class Help {
        static final String SIGNUP_ATTEMPTS = "Identity inserts since the previous check, by outcome (from"
                + " n_tup_ins, which counts rolled-back rows too; the canary's own excluded). Absent for a check"
                + " that could not split them.";
    }

    private final String prometheusName;
    private final String help;
    private final boolean counter;
    private final String labelName;
    private final String labelValue;

    Metric(String prometheusName, String help) {
        this(prometheusName, help, false, null, null);
    }

    /** A counter mirrors a cumulative count of the database's (it may reset with the server's statistics). */
    Metric(String prometheusName, String help, boolean counter) {
        this(prometheusName, help, counter, null, null);
    }

    /** One series of a gauge that several members share, told apart by one label beside {@code target}. */
    Metric(String prometheusName, String help, String labelName, String labelValue) {
        this(prometheusName, help, false, labelName, labelValue);
    }

    Metric(String prometheusName, String help, boolean counter, String labelName, String labelValue) {
        this.prometheusName = prometheusName;
        this.help = help;
        this.counter = counter;
        this.labelName = labelName;
        this.labelValue = labelValue;
    }

    /** The series' own label ({@code name}, {@code value}), if it has one besides {@code target}. */
    public Optional<Map.Entry<String, String>> label() {
        return labelName == null ? Optional.empty() : Optional.of(Map.entry(labelName, labelValue));
    }

    public boolean counter() {
        return counter;
    }

    public String prometheusName() {
        return prometheusName;
    }

    public String help() {
        return help;
    }
}
