package io.ghostwatch.remediate;

import io.ghostwatch.throttle.StopRequest;
import org.jboss.logging.Logger;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * While a fix writes, Ctrl-C (SIGINT) and SIGTERM (a pod's deletion) ask it to stop after the current batch
 * instead of ending the process mid-batch: the fix then records itself as interrupted and exits. The process's
 * own handlers come back when the fix ends. A second signal is handled the same way; SIGKILL cannot be, and
 * leaves the audit row "running" until the next fix on the target marks it interrupted.
 */
final class StopSignals implements StopRequest, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(StopSignals.class);
    private static final String[] SIGNALS = {"INT", "TERM"};

    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
    private volatile boolean requested;

    private StopSignals() {
    }

    static StopSignals install() {
        StopSignals stop = new StopSignals();
        for (String name : SIGNALS) {
            try {
                Signal signal = new Signal(name);
                stop.previous.put(signal, Signal.handle(signal, s -> {
                    if (!stop.requested) {
                        System.err.println("ghostwatch: SIG" + s.getName() + " received: stopping after the current"
                                + " batch (its rows are committed, a rerun completes the fix)");
                    }
                    stop.requested = true;
                }));
            } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
                // This runtime lets no one handle the signal: it ends the process as before; batches stay whole.
                LOG.debugf("cannot handle SIG%s: %s", name, e);
            }
        }
        return stop;
    }

    @Override
    public boolean requested() {
        return requested;
    }

    @Override
    public void close() {
        previous.forEach((signal, handler) -> {
            try {
                Signal.handle(signal, handler);
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                LOG.debugf("cannot restore the handler of SIG%s: %s", signal.getName(), e);
            }
        });
    }
}
