package io.ghostwatch.throttle;

import io.ghostwatch.sql.ConnectionSource;
import io.ghostwatch.sql.Sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures, on a connection of its own and all through the fix (during its batches, not only between them),
 * what every signup waits for: a transaction that writes one WAL record and commits, touching no table. A batch
 * slows a signup's commit by the WAL it wrote before it and by the CPU it holds; this sees both, as the
 * application would. The fix asks {@link #hold} before each batch.
 */
public final class CommitProbe implements AutoCloseable {

    /**
     * A transactional WAL message (prefix {@code ghostwatch.probe}, empty): its commit is flushed, and waits for
     * synchronous standbys, as a signup's does. Taking an id alone would not do: PostgreSQL commits a transaction
     * that wrote no WAL without flushing or waiting. Logical decoding consumers that ask for messages see these.
     */
    static final String PROBE = "SELECT pg_catalog.pg_logical_emit_message(true, 'ghostwatch.probe', '')";

    /** One commit every 10 ms: 100 per second, each a few hundred bytes of WAL. */
    static final long INTERVAL_NANOS = 10_000_000L;
    /** A commit in flight this many times the slow threshold (and at least {@link #STUCK_FLOOR_NANOS}) is stuck. */
    static final int STUCK_FACTOR = 10;
    static final long STUCK_FLOOR_NANOS = 50_000_000L;
    /** How long a baseline takes at the probe's pace when commits are quick. */
    static final long BASELINE_SECONDS = CommitTail.BASELINE_SAMPLES * INTERVAL_NANOS / 1_000_000_000L;
    /** How soon a held fix looks again: a twentieth of a second of slack at most. */
    static final long RECHECK_NANOS = 50_000_000L;

    /**
     * How long the fix holds for slow commits before it takes them for the application's own. The slow share
     * forgets a batch within about ten seconds, but the batches' after-effects outlast that: at 15 s the benchmark
     * (a steady load, so every long hold there was the fix's doing) measured again three times in three rounds and
     * signup p99 rose to 2.1x. A minute keeps that rare and still bounds the wait.
     */
    static final long REMEASURE_AFTER_NANOS = 60_000_000_000L;
    private static final long NOT_SLOW = Long.MIN_VALUE;

    private final CommitTail tail;
    private final Throttle.Ticker ticker;
    private final Connection connection;
    private final Thread thread;
    private volatile boolean closed;
    /** When the commit in flight started; 0 when none is. */
    private volatile long inFlightSince;
    private volatile SQLException failure;
    /** Since when (ticker time) {@link #hold} has found the slow share over budget; read by the fix's thread only. */
    private long slowSince = NOT_SLOW;
    private boolean remeasured;

    CommitProbe(Connection connection, double factor, Throttle.Ticker ticker) {
        this.connection = connection;
        this.tail = new CommitTail(factor);
        this.ticker = ticker;
        this.thread = new Thread(this::run, "ghostwatch-commit-probe");
        this.thread.setDaemon(true);
    }

    /** Opens the probe's connection and starts measuring; {@code factor} is {@code --max-load}. */
    public static CommitProbe start(ConnectionSource source, double factor) throws SQLException {
        Connection c = source.open();
        try {
            c.setAutoCommit(true); // each probe its own transaction, committed as a signup's is
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        CommitProbe probe = new CommitProbe(c, factor, Throttle.SYSTEM);
        probe.thread.start();
        return probe;
    }

    private void run() {
        long next = ticker.nanos();
        try (Statement st = connection.createStatement()) {
            while (!closed) {
                long t = ticker.nanos();
                inFlightSince = t;
                st.execute(PROBE);
                inFlightSince = 0;
                tail.observed(ticker.nanos() - t);
                next += INTERVAL_NANOS;
                long wait = next - ticker.nanos();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                } else {
                    next = ticker.nanos(); // fell behind (a slow commit): no burst to catch up
                }
            }
        } catch (SQLException e) {
            if (!closed) {
                failure = e;
            }
        }
    }

    /**
     * Holds until the quiet baseline is measured (five seconds), telling the listener once; returns early on a
     * stop request (the fix then stops before its first batch).
     *
     * @throws ThrottleException when the probe lost its connection
     */
    public void awaitBaseline(StopRequest stop, Throttle.Listener listener) throws ThrottleException {
        listener.waiting(String.format(Locale.ROOT, "measuring the commit time before the fix begins (%d commits,"
                + " about %d s)", CommitTail.BASELINE_SAMPLES, BASELINE_SECONDS));
        while (!stop.requested() && !tail.calibrated()) {
            throwIfLost();
            LockSupport.parkNanos(RECHECK_NANOS);
        }
        throwIfLost();
    }

    /** A commit that took {@code nanos}; what the probe's own thread records (and tests feed by hand). */
    void observed(long nanos) {
        tail.observed(nanos);
    }

    /**
     * Why the next batch must wait, if it must: the baseline is being measured, a commit is stuck, or too many
     * recent commits were slow. Commits still too slow after {@link #REMEASURE_AFTER_NANOS} of holding (the fix
     * wrote nothing all that time) are the application's own: the baseline is measured again, so a busier hour
     * than the one the fix started in slows the fix down instead of stopping it for good.
     *
     * @throws ThrottleException when the probe lost its connection: the fix can no longer tell
     */
    Optional<String> hold() throws ThrottleException {
        throwIfLost();
        if (!tail.calibrated()) {
            return Optional.of(!remeasured ? "measuring the commit time before the first batch"
                    : "measuring the commit time again, with the fix idle (it stayed slow without the fix's writes)");
        }
        long threshold = tail.threshold();
        long now = ticker.nanos();
        long since = inFlightSince;
        long waited = since == 0 ? 0 : now - since;
        if (waited > Math.max(STUCK_FLOOR_NANOS, threshold * STUCK_FACTOR)) {
            return Optional.of(String.format(Locale.ROOT, "signups would wait: a commit has waited %,d ms"
                    + " (with the fix idle, 99%% took under %.1f ms)", waited / 1_000_000,
                    threshold / 1e6 / tail.factor()));
        }
        if (!tail.overBudget()) {
            slowSince = NOT_SLOW;
            return Optional.empty();
        }
        if (slowSince == NOT_SLOW) {
            slowSince = now;
        } else if (now - slowSince >= REMEASURE_AFTER_NANOS) {
            String why = String.format(Locale.ROOT, "signups' commits: %.1f%% of recent ones still took over"
                    + " %.1f ms after %d s with the fix idle, so not because of it: measuring their time again"
                    + " (%d commits, %d s at least)", tail.slowShare() * 100, threshold / 1e6,
                    REMEASURE_AFTER_NANOS / 1_000_000_000L, CommitTail.BASELINE_SAMPLES, BASELINE_SECONDS);
            slowSince = NOT_SLOW;
            remeasured = true;
            tail.remeasure();
            return Optional.of(why);
        }
        return Optional.of(String.format(Locale.ROOT, "signups would wait: %.1f%% of recent commits took over"
                + " %.1f ms (%.1fx their p99 with the fix idle; at most %.1f%% may)",
                tail.slowShare() * 100, threshold / 1e6, tail.factor(), CommitTail.SLOW_BUDGET * 100));
    }

    private void throwIfLost() throws ThrottleException {
        SQLException lost = failure;
        if (lost != null) {
            throw new ThrottleException("the commit probe's connection failed (" + Sql.firstLine(lost) + "), so this"
                    + " fix cannot tell whether it slows signups; it stopped after its last committed batch");
        }
    }

    /** Stops the probe; a commit stuck in flight is cut off (its socket closed), never waited for. */
    @Override
    public void close() {
        closed = true;
        if (connection != null) {
            try {
                connection.abort(Runnable::run);
            } catch (SQLException e) {
                // already gone: nothing to release
            }
        }
        LockSupport.unpark(thread);
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
