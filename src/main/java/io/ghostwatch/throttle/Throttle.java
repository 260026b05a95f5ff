package io.ghostwatch.throttle;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides, before every batch of a bulk fix, whether it may start and how many rows it takes: a pause file
 * holds it, a standby replaying more than {@code maxLag} behind holds it, commits the fix slowed (measured by a
 * {@link CommitProbe} all through the run) hold it, a database whose batches slowed down gets the time back, and
 * {@code --max-rate} paces it. Each wait names its reason through the {@link Listener}; a stop request ends the
 * wait at once.
 */
public final class Throttle {

    /** How often a held job looks again. */
    static final long POLL_NANOS = 200_000_000L;
    /** The longest single back-off for a busy database. */
    static final long MAX_LOAD_WAIT_NANOS = 2_000_000_000L;

    /** Where the time comes from; tests step it by hand. */
    public interface Ticker {
        long nanos();

        void sleep(long nanos) throws InterruptedException;
    }

    /** Told why the job waits (at every look; the listener decides how often to print). */
    @FunctionalInterface
    public interface Listener {
        void waiting(String why);
    }

    public static final Ticker SYSTEM = new Ticker() {
        @Override
        public long nanos() {
            return System.nanoTime();
        }

        @Override
        public void sleep(long nanos) throws InterruptedException {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        }
    };

    private final ThrottleSettings settings;
    private final StopRequest stop;
    private final Ticker ticker;
    private final BatchSizer sizer;
    private final Optional<RatePacer> pacer;
    private final LoadGauge perRow;
    private final Optional<CommitProbe> commits;
    private final LagClock lag = new LagClock();
    private final ReplicaMonitor replicas = new ReplicaMonitor();
    private long started = -1;
    private long loadWaitUntil;
    private long lastBatchNanos;
    private String loadReason = "";

    /** A throttle that does not watch commits: a fix too small to need it, or a test of the other rules. */
    public Throttle(ThrottleSettings settings, StopRequest stop, Ticker ticker) {
        this(settings, stop, ticker, Optional.empty());
    }

    /** {@code commits}: the probe that holds the fix while it slows signups (with {@code --max-load}). */
    public Throttle(ThrottleSettings settings, StopRequest stop, Ticker ticker, Optional<CommitProbe> commits) {
        this.settings = settings;
        this.stop = stop;
        this.ticker = ticker;
        this.sizer = new BatchSizer(settings.batchTime(), settings.firstBatch(), settings.minBatch(),
                settings.maxBatch());
        this.pacer = settings.maxRate().isPresent()
                ? Optional.of(new RatePacer(settings.maxRate().getAsDouble())) : Optional.empty();
        pacer.ifPresent(p -> sizer.capAt(p.batchCap()));
        this.perRow = new LoadGauge(settings.maxLoad());
        this.commits = commits;
    }

    /** Rows the next batch takes. */
    public int batchSize() {
        return sizer.size();
    }

    /**
     * Holds until the next batch may start. {@code c} is the fix's connection between batches (no transaction
     * open); the replica reading runs on it in a transaction of its own.
     *
     * @return false when a stop was requested: the job ends here, after its last committed batch
     */
    public boolean awaitTurn(Connection c, long rowsDone, Listener listener) throws SQLException {
        if (started < 0) {
            started = ticker.nanos();
        }
        while (true) {
            if (stop.requested()) {
                return false;
            }
            Optional<Hold> hold = pauseFile();
            if (hold.isEmpty()) {
                hold = replicaLag(c);
            }
            if (hold.isEmpty()) {
                hold = slowCommits();
            }
            if (hold.isEmpty()) {
                hold = busy().or(() -> rate(rowsDone));
            }
            if (hold.isEmpty()) {
                return true;
            }
            listener.waiting(hold.get().why());
            try {
                ticker.sleep(Math.min(POLL_NANOS, hold.get().nanos()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** A batch of {@code rows} took {@code nanos}: size the next, and back off if the database slowed down. */
    public void observed(long rows, long nanos) {
        sizer.observed(rows, nanos);
        pacer.ifPresent(p -> sizer.capAt(p.batchCap()));
        lastBatchNanos = nanos;
        if (settings.maxLoad() > 0 && rows > 0) {
            perRow.observed(nanos / (double) rows).ifPresent(ratio -> backOff(ratio, String.format(Locale.ROOT,
                    "database busy: the last batch took %.1fx the time per row of the first ones", ratio)));
        }
    }

    /** Step aside for (ratio - 1) times the last batch: at 2x slower the job writes half the time, at 3x a third. */
    private void backOff(double ratio, String why) {
        long wait = Math.min(MAX_LOAD_WAIT_NANOS, (long) (lastBatchNanos * (ratio - 1)));
        if (wait > 0) {
            loadWaitUntil = Math.max(loadWaitUntil, ticker.nanos() + wait);
            loadReason = why;
        }
    }

    private record Hold(String why, long nanos) {
    }

    private Optional<Hold> pauseFile() {
        return settings.pauseFile().filter(Files::exists).map(f -> new Hold("paused: " + f
                + " exists (remove it to resume)", POLL_NANOS));
    }

    private Optional<Hold> slowCommits() throws ThrottleException {
        if (commits.isEmpty()) {
            return Optional.empty();
        }
        return commits.get().hold().map(why -> new Hold(why, CommitProbe.RECHECK_NANOS));
    }

    private Optional<Hold> busy() {
        long left = loadWaitUntil - ticker.nanos();
        return left > 0 ? Optional.of(new Hold(loadReason, left)) : Optional.empty();
    }

    private Optional<Hold> rate(long rowsDone) {
        if (pacer.isEmpty()) {
            return Optional.empty();
        }
        long wait = pacer.get().waitNanos(rowsDone, ticker.nanos() - started);
        return wait > 0 ? Optional.of(new Hold(String.format(Locale.ROOT, "pacing to --max-rate %,.0f rows/s",
                settings.maxRate().getAsDouble()), wait)) : Optional.empty();
    }

    private Optional<Hold> replicaLag(Connection c) throws SQLException {
        if (settings.maxLag().isZero()) {
            return Optional.empty();
        }
        ReplicaMonitor.Reading reading = readReplicas(c);
        long now = ticker.nanos();
        lag.note(reading.primaryLsn(), now);
        double limit = settings.maxLag().toMillis() / 1000.0;
        String worst = null;
        double worstLag = -1;
        long slowest = Long.MAX_VALUE;
        for (Standby s : reading.standbys()) {
            if (!s.visible()) {
                throw new ThrottleException("cannot see the replay position of standby '" + s.name() + "', so"
                        + " cannot hold this fix to --max-lag: the role needs pg_monitor (GRANT pg_monitor TO"
                        + " <role>), or pass --max-lag 0 to not wait for standbys");
            }
            if (s.replayLsn().isEmpty()) {
                return Optional.of(new Hold("replica lag: standby '" + s.name() + "' has not reported a replay"
                        + " position yet",
                        POLL_NANOS));
            }
            slowest = Math.min(slowest, s.replayLsn().getAsLong());
            double seconds = Math.max(s.reportedLag().orElse(0), lag.lagSeconds(s.replayLsn().getAsLong(), now));
            if (seconds > worstLag) {
                worstLag = seconds;
                worst = s.name();
            }
        }
        if (slowest != Long.MAX_VALUE) {
            lag.forgetBefore(slowest);
        }
        if (worst != null && worstLag > limit) {
            return Optional.of(new Hold(String.format(Locale.ROOT, "replica lag: standby '%s' replays %.1fs behind,"
                    + " over --max-lag %s",
                    worst, worstLag, settings.maxLag().toString().substring(2).toLowerCase(Locale.ROOT)),
                    POLL_NANOS));
        }
        return Optional.empty();
    }

    private ReplicaMonitor.Reading readReplicas(Connection c) throws SQLException {
        ReplicaMonitor.Reading reading = replicas.read(c);
        if (!c.getAutoCommit()) {
            c.commit(); // the reading's own transaction: no snapshot held between batches
        }
        return reading;
    }
}
