package io.ghostwatch.throttle;

import java.sql.SQLException;

/** The throttle cannot do its job (a standby it may not see): the fix must not start, or go on. */
public final class ThrottleException extends SQLException {

    /** The state ghostwatch's own refusals carry, so the fix's error report prints the message as it is. */
    public static final String STATE = "GW001";

    public ThrottleException(String message) {
        super(message, STATE);
    }
}
