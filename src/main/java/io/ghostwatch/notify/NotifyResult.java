package io.ghostwatch.notify;

import java.util.List;

/**
 * What the notification stage did in one run.
 *
 * @param sent     notifications delivered in this run (including ones left over from earlier runs)
 * @param failed   deliveries that failed in this run
 * @param pending  undelivered notifications kept for the next run (0 without history)
 * @param problems one line each, for stderr
 */
public record NotifyResult(int sent, int failed, long pending, List<String> problems) {

    public NotifyResult {
        problems = List.copyOf(problems);
    }

    public static NotifyResult nothing() {
        return new NotifyResult(0, 0, 0, List.of());
    }
}
