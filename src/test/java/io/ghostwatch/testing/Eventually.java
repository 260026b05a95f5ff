package io.ghostwatch.testing;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls a condition with a bound: for servers and schedulers that get there on their own time. */
public final class Eventually {

    private Eventually() {
    }

    public static <T> T await(String what, Duration limit, Supplier<T> probe, java.util.function.Predicate<T> done) {
        long deadline = System.nanoTime() + limit.toNanos();
        T last = probe.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + limit.toSeconds() + "s waiting for " + what
                        + "; last seen: " + last);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            last = probe.get();
        }
        return last;
    }
}
