package io.ghostwatch.history;

import java.time.Instant;
import java.util.Optional;

/** A recorded run, as {@code ghostwatch history} shows it. Numbers are empty for runs that could not check. */
public record RunRow(String runId, Instant startedAt, Instant finishedAt, String outcome, Optional<String> priority,
                     Optional<Long> ghosts, Optional<Long> ghostsOld, Optional<Long> orphans,
                     Optional<Long> parityDelta, Optional<Boolean> triggerEnabled, Optional<String> tgenabled,
                     long durationMs, Optional<String> error) {
}
