package io.ghostwatch.throttle;

/** Whether the operator asked the job to stop (Ctrl-C, SIGTERM): it then stops after the current batch. */
@FunctionalInterface
public interface StopRequest {

    StopRequest NEVER = () -> false;

    boolean requested();
}
