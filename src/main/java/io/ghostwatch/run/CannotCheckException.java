package io.ghostwatch.run;

import java.util.OptionalInt;

/** The database could not be checked (exit code 2). The message is one line naming the cause and the fix. */
public class CannotCheckException extends Exception {

    /** Sessions found holding a lock that signups wait for, when the check got far enough to look. */
    private final int signupBlockers;

    public CannotCheckException(String message, Throwable cause, int signupBlockers) {
        super(message, cause);
        this.signupBlockers = signupBlockers;
    }

    public CannotCheckException(String message, Throwable cause) {
        this(message, cause, -1);
    }

    public CannotCheckException(String message) {
        this(message, null, -1);
    }

    /** How many blockers were seen; empty when the check did not get as far as looking. */
    public OptionalInt signupBlockers() {
        return signupBlockers < 0 ? OptionalInt.empty() : OptionalInt.of(signupBlockers);
    }
}
