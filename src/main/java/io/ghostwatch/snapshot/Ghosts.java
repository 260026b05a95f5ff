package io.ghostwatch.snapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Identities without a profile.
 *
 * @param total             ghosts now (anonymous ones excluded only when configured so)
 * @param old               ghosts older than the policy's old-after, plus those without created_at
 * @param recent            ghosts created within the policy's recent window
 * @param withoutCreatedAt  ghosts whose created_at is NULL: their age is unknown, so they count as old
 * @param oldestCreatedAt   the earliest known created_at among ghosts
 * @param anonymousExcluded anonymous identities without a profile that were not counted, by configuration
 * @param sample            a bounded sample, newest first: ids and created_at only, never emails
 * @param deletedExcluded   identities without a profile that were deleted (a deletion time is set): not ghosts
 */
public record Ghosts(long total, long old, long recent, long withoutCreatedAt, Optional<Instant> oldestCreatedAt,
                     long anonymousExcluded, List<GhostRow> sample, long deletedExcluded) {

    public Ghosts {
        sample = List.copyOf(sample);
    }

    public Ghosts(long total, long old, long recent, long withoutCreatedAt, Optional<Instant> oldestCreatedAt,
                  long anonymousExcluded, List<GhostRow> sample) {
        this(total, old, recent, withoutCreatedAt, oldestCreatedAt, anonymousExcluded, sample, 0);
    }

    public static Ghosts none() {
        return new Ghosts(0, 0, 0, 0, Optional.empty(), 0, List.of());
    }

    /** Age of the oldest ghost with a known created_at, never negative; zero when there is none. */
    public Duration oldestAge(Instant now) {
        return oldestCreatedAt.map(t -> Duration.between(t, now)).filter(d -> !d.isNegative()).orElse(Duration.ZERO);
    }

    /** One sampled ghost. */
    public record GhostRow(String id, Optional<Instant> createdAt) {
    }
}
