package io.ghostwatch.snapshot;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The kept unmatched rows as the full scan read them (in its snapshot), saved beside their ids so a steady check
 * can count and date them again without reading them while neither table's counters moved.
 */
public record KeptRows(List<IdentityRow> identities, List<ProfileRow> profiles) {

    public KeptRows {
        identities = List.copyOf(identities);
        profiles = List.copyOf(profiles);
    }

    /**
     * An identity without a profile.
     *
     * @param excluded left out of the ghosts: anonymous or deleted
     * @param xid      the transaction that wrote it (xmin), when the monitoring role may read it
     */
    public record IdentityRow(String id, Optional<Instant> createdAt, boolean excluded, boolean deleted,
                              Optional<String> xid) {
    }

    /** A profile without an identity. */
    public record ProfileRow(String id, boolean softDeleted) {
    }
}
