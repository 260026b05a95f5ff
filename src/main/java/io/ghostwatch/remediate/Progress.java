package io.ghostwatch.remediate;

import java.io.PrintWriter;
import java.util.Locale;

/** Progress of a long fix on stderr, at most once a second: rows done, rate, ETA. */
final class Progress {

    private final PrintWriter err;
    private final String what;
    private final long expected;
    private final long started = System.nanoTime();
    private long lastPrint = started;

    Progress(PrintWriter err, String what, long expected) {
        this.err = err;
        this.what = what;
        this.expected = expected;
    }

    void update(long done, boolean last) {
        long now = System.nanoTime();
        if (!last && now - lastPrint < 1_000_000_000L) {
            return;
        }
        lastPrint = now;
        double seconds = Math.max(1e-3, (now - started) / 1e9);
        double rate = done / seconds;
        long left = Math.max(0, expected - done);
        String eta = last || rate <= 0 ? "done" : "ETA " + Math.round(left / rate) + "s";
        err.printf(Locale.ROOT, "%s: %,d of ~%,d rows (%d%%), %,.0f rows/s, %s%n", what, done, expected,
                expected == 0 ? 100 : Math.min(100, done * 100 / expected), rate, eta);
        err.flush();
    }
}
