package io.ghostwatch.snapshot;

import java.time.Instant;
import java.util.Optional;

/**
 * How a snapshot's ghost and orphan numbers were obtained.
 *
 * @param full           a full scan of both primary keys; otherwise the last full scan's numbers, carried
 *                       because the counters show that nothing that could change them happened since
 * @param lastFullScanAt when the numbers were last computed by a full scan (this one, when full)
 * @param reason         why this run scanned in full, or why it did not need to
 */
public record Scan(boolean full, Optional<Instant> lastFullScanAt, String reason) {

    public String kind() {
        return full ? "full" : "counters";
    }
}
