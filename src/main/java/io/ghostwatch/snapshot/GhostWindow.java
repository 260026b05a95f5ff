package io.ghostwatch.snapshot;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The incident window Step 6's write-up needs: when the ghosts were created, how many per hour, how many
 * arrived in bulk, and how many while the trigger was not firing.
 *
 * @param first                 the earliest known ghost created_at
 * @param last                  the latest ghost created_at
 * @param perHour               ghosts per hour (hours with none are left out), the newest {@link #MAX_HOURS}
 *                              such hours, oldest first
 * @param bulk                  ghosts that share a transaction with other ghosts; empty when the monitoring
 *                              role may not read the identity table's {@code xmin}
 * @param whileTriggerNotFiring ghosts whose next recorded check saw the trigger not firing (or this check, when
 *                              it does not fire now); empty when no history of earlier checks exists
 */
public record GhostWindow(Optional<Instant> first, Optional<Instant> last, List<HourCount> perHour,
                          Optional<BulkLoads> bulk,
                          OptionalLong whileTriggerNotFiring) {

    public static final int MAX_HOURS = 168;

    public GhostWindow {
        perHour = List.copyOf(perHour);
    }

    public static GhostWindow none() {
        return new GhostWindow(Optional.empty(), Optional.empty(), List.of(), Optional.of(BulkLoads.NONE),
                OptionalLong.empty());
    }

    public record HourCount(Instant hour, long ghosts) {
    }

    /**
     * @param transactions transactions ({@code xmin}) holding more than one ghost each
     * @param rows         ghosts in those transactions
     */
    public record BulkLoads(long transactions, long rows, Optional<Instant> first, Optional<Instant> last) {

        public static final BulkLoads NONE = new BulkLoads(0, 0, Optional.empty(), Optional.empty());
    }
}
