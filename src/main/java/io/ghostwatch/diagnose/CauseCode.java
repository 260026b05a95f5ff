package io.ghostwatch.diagnose;

import java.util.Locale;

/**
 * Every cause a rule can name: a fixed set, so each finding made of a cause ({@code cause_<code>}) is a bounded
 * label value on {@code ghostwatch_finding} and the alert rules can be proven against all of them.
 */
public enum CauseCode {
    TRIGGER_MISSING,
    TRIGGER_DISABLED,
    TRIGGER_REPLICA_ONLY,
    REPLICATION_ROLE_REPLICA,
    TRIGGER_WHEN_CLAUSE,
    TRIGGER_STATEMENT_LEVEL,
    TRIGGER_NOT_ON_INSERT,
    FUNCTION_NOT_SECURITY_DEFINER,
    FUNCTION_OWNER_CANNOT_INSERT_PROFILE,
    SIGNUP_ROLE_CANNOT_INSERT_PROFILE,
    SIGNUP_ROLE_CANNOT_INSERT_IDENTITY,
    PROFILE_RLS_BLOCKS_SYNC,
    FUNCTION_COLUMN_MISSING,
    FUNCTION_TARGET_MISSING,
    FUNCTION_WRITES_IDENTITY_TABLE,
    FUNCTION_CALL_UNRESOLVED,
    FUNCTION_SWALLOWS_ERRORS,
    FUNCTION_SEARCH_PATH_NOT_FIXED,
    PROFILE_NOT_NULL_COLUMN_UNSET,
    PROFILE_UNIQUE_CONFLICT,
    PROFILE_WRITE_CONDITIONAL,
    PROFILE_TABLE_ELSEWHERE,
    GHOSTS_FROM_BULK_LOAD,
    PATH_WRITE_NOT_PERMITTED,
    PATH_WRITE_RLS_BLOCKS,
    CONVERSION_VALUE_MISSING,
    WRITTEN_TABLE_TRIGGER_CALL_MISSING,
    ENUM_LITERAL_MISSING,
    SIGNUP_VALUE_MISSING,
    SIGNUP_VALUE_COLLIDES,
    METADATA_CAST_FAILS,
    READ_ONLY_MODE,
    SERVER_IS_STANDBY;

    /** The stable name in reports, history and metrics, e.g. {@code read_only_mode}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
