package io.ghostwatch.run;

/** The database could not be checked (exit code 2). The message is one line naming the cause and the fix. */
public class CannotCheckException extends Exception {

    public CannotCheckException(String message, Throwable cause) {
        super(message, cause);
    }

    public CannotCheckException(String message) {
        super(message);
    }
}
