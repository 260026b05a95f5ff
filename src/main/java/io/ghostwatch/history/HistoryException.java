package io.ghostwatch.history;

/** History could not be created, written or read; the message names the missing grant where that is why. */
public class HistoryException extends Exception {
    public HistoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
