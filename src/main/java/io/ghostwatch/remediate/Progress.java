package io.ghostwatch.remediate;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress of a long fix on stderr, at most once a second (and whenever the reason for waiting changes): rows
 * done of the expected, rate, ETA, the current batch size, and why it waits when it does.
 */
final class Progress {

    private final PrintWriter err;
    private final String what;
    private final long expected;
    private final long started = System.nanoTime();
    private long lastPrint = started;
    private String lastReason = "";

    Progress(PrintWriter err, String what, long expected) {
        this.err = err;
        this.what = what;
        this.expected = expected;
    }

    void update(long done, boolean last, int batch) {
        long now = System.nanoTime();
        if (!last && now - lastPrint < 1_000_000_000L) {
            return;
        }
        lastPrint = now;
        double rate = rate(done, now);
        long left = Math.max(0, expected - done);
        String eta = last ? "done" : rate <= 0 ? "ETA unknown" : "ETA " + Math.round(left / rate) + "s";
        err.printf(Locale.ROOT, "%s, %,.0f rows/s, %s, batch %,d%n", done(done), rate, eta, batch);
        err.flush();
    }

    void waiting(long done, String why) {
        long now = System.nanoTime();
        // The figures in a reason change at every look (a lag, a share): a new reason prints at once, new figures
        // for the same one once a second.
        String reason = why.split(":", 2)[0];
        if (reason.equals(lastReason) && now - lastPrint < 1_000_000_000L) {
            return;
        }
        lastPrint = now;
        lastReason = reason;
        err.printf(Locale.ROOT, "%s, waiting: %s%n", done(done), why);
        err.flush();
    }

    private double rate(long done, long now) {
        return done / Math.max(1e-3, (now - started) / 1e9);
    }

    private String done(long done) {
        return String.format(Locale.ROOT, "%s: %,d of ~%,d rows (%d%%)", what, done, expected,
                expected == 0 ? 100 : Math.min(100, done * 100 / expected));
    }
}
