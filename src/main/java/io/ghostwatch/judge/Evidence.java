package io.ghostwatch.judge;

import io.ghostwatch.canary.CanaryResult;
import io.ghostwatch.diagnose.Cause;
import io.ghostwatch.snapshot.Snapshot;

import java.util.List;
import java.util.Optional;

/**
 * What one run knows, side by side: the read-only snapshot, the signup canary's result (when it ran) and the
 * causes read from the catalog. Composed by {@code run/}; judged here.
 */
public record Evidence(Snapshot snapshot, Optional<CanaryResult> canary, List<Cause> causes) {

    public Evidence {
        causes = List.copyOf(causes);
    }

    public static Evidence of(Snapshot snapshot) {
        return new Evidence(snapshot, Optional.empty(), List.of());
    }
}
