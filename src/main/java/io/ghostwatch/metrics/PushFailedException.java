package io.ghostwatch.metrics;

/** The Pushgateway did not take the run's series; the message is one line without credentials. */
public class PushFailedException extends Exception {
    public PushFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
