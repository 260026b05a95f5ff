package io.ghostwatch.throttle;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Replay lag in seconds, measured the way a paused standby cannot hide: every time the throttle looks, it notes
 * the primary's WAL position and the time. A standby whose replay position is behind a noted position has not
 * replayed WAL that existed since then, so it lags at least the time since that note. (The server's own
 * {@code replay_lag} stops growing while replay is paused: it is computed when WAL is replayed.)
 */
final class LagClock {

    private record Note(long lsn, long nanos) {
    }

    private final Deque<Note> notes = new ArrayDeque<>();

    void note(long primaryLsn, long nanos) {
        if (notes.isEmpty() || notes.peekLast().lsn() != primaryLsn) {
            notes.addLast(new Note(primaryLsn, nanos));
        }
    }

    /** Seconds the standby at {@code replayLsn} lags at {@code nanos}; 0 when it has replayed all noted WAL. */
    double lagSeconds(long replayLsn, long nanos) {
        for (Note n : notes) {
            if (n.lsn() > replayLsn) {
                return Math.max(0, (nanos - n.nanos()) / 1e9);
            }
        }
        return 0;
    }

    /** Forgets notes every standby has replayed past, so the memory stays with the lag, not the run. */
    void forgetBefore(long slowestReplayLsn) {
        while (notes.size() > 1 && notes.peekFirst().lsn() <= slowestReplayLsn) {
            notes.removeFirst();
        }
    }
}
