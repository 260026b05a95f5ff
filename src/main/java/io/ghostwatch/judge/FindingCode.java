package io.ghostwatch.judge;

import io.ghostwatch.diagnose.CauseCode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The findings the checks can make, a fixed set: each is a label value of {@code ghostwatch_finding}, so the
 * series stay bounded, and the alert rules are proven to page for every one of them (FindingAlertsTest). A
 * cause read from the catalog is the finding {@code cause_<code>}, one per {@link CauseCode}.
 */
public enum FindingCode {
    TRIGGER_MISSING,
    TRIGGER_DISABLED,
    TRIGGER_REPLICA_ONLY,
    TRIGGER_SUPPRESSED,
    TRIGGER_ENABLED_BUT_GHOSTS,
    TRIGGER_FUNCTION_MISMATCH,
    GHOST_USERS_OLD,
    GHOST_USERS_MANY,
    GHOST_USERS_RECENT,
    ORPHANED_PROFILES,
    COUNT_PARITY_UNEXPLAINED,
    CANARY_NO_PROFILE,
    CANARY_INSERT_FAILED,
    CANARY_NOT_RUN,
    SIGNUPS_FAILING,
    SIGNUPS_ROLLED_BACK,
    SIGNUPS_BLOCKED,
    SIGNUPS_NOT_COUNTED,
    PROFILE_CONDITION_UNKNOWN,
    DELETES_SKIPPED,
    PATH_WRITE_STOPPED,
    CONTRACT_ROWS_MISSING,
    CONTRACT_UNCHECKED,
    GHOSTS_CONVERTED,
    CONTRACT_ORPHANS;

    static final String CAUSE_PREFIX = "cause_";

    /** The stable name in reports, history, webhooks and metrics, e.g. {@code trigger_disabled}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The finding made of a cause the catalog shows. */
    static String ofCause(String causeCode) {
        return CAUSE_PREFIX + causeCode;
    }

    /** Every code a finding can carry: the checks' own, then one per cause. */
    public static List<String> all() {
        List<String> all = new ArrayList<>();
        for (FindingCode c : values()) {
            all.add(c.code());
        }
        for (CauseCode c : CauseCode.values()) {
            all.add(ofCause(c.code()));
        }
        return List.copyOf(all);
    }
}
