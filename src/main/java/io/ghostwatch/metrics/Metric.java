package io.ghostwatch.metrics;

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
            "Rows ever inserted into the profile table (pg_stat_user_tables.n_tup_ins).", true);

    private final String prometheusName;
    private final String help;
    private final boolean counter;

    Metric(String prometheusName, String help) {
        this(prometheusName, help, false);
    }

    /** A counter mirrors a cumulative count of the database's (it may reset with the server's statistics). */
    Metric(String prometheusName, String help, boolean counter) {
        this.prometheusName = prometheusName;
        this.help = help;
        this.counter = counter;
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
