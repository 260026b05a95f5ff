package io.ghostwatch.remediate;

import io.ghostwatch.sql.ConnectionSource;
import io.ghostwatch.throttle.CommitProbe;
import io.ghostwatch.throttle.StopRequest;
import io.ghostwatch.throttle.Throttle;
import io.ghostwatch.throttle.ThrottleSettings;

import java.sql.SQLException;
import java.util.Optional;

/**
 * The commit probe of one fix, when it needs one: with {@code --max-load} on and more rows than one batch (a fix
 * of one short transaction has nothing to pace). Started, and its quiet baseline measured, before the fix reads
 * or writes anything, so the baseline is the application's alone.
 */
final class CommitWatch implements AutoCloseable {

    private final Optional<CommitProbe> probe;

    private CommitWatch(Optional<CommitProbe> probe) {
        this.probe = probe;
    }

    static CommitWatch start(ThrottleSettings throttle, Plan plan, ConnectionSource connections, StopRequest stop,
                             Throttle.Listener listener) throws SQLException {
        if (throttle.maxLoad() <= 0 || plan.rows() <= throttle.firstBatch()) {
            return new CommitWatch(Optional.empty());
        }
        CommitProbe probe = CommitProbe.start(connections, throttle.maxLoad());
        try {
            probe.awaitBaseline(stop, listener);
        } catch (SQLException | RuntimeException e) {
            probe.close();
            throw e;
        }
        return new CommitWatch(Optional.of(probe));
    }

    Optional<CommitProbe> probe() {
        return probe;
    }

    @Override
    public void close() {
        probe.ifPresent(CommitProbe::close);
    }
}
