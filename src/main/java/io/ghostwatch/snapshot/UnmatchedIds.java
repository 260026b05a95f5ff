package io.ghostwatch.snapshot;

import java.util.List;

/**
 * The ids (as text) of every unmatched row a full scan found: identities without a profile and profiles without
 * an identity, the excluded (anonymous, deleted) and soft-deleted ones included. Kept with the baseline, up to
 * {@code ghostwatch.steady-state-max-unmatched}, so a steady check reads exactly these rows again.
 */
public record UnmatchedIds(List<String> identities, List<String> profiles) {

    public UnmatchedIds {
        identities = List.copyOf(identities);
        profiles = List.copyOf(profiles);
    }

    public static final UnmatchedIds NONE = new UnmatchedIds(List.of(), List.of());

    public int size() {
        return identities.size() + profiles.size();
    }

    public boolean isEmpty() {
        return size() == 0;
    }
}
