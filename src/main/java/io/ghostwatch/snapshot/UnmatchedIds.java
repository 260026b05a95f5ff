package io.ghostwatch.snapshot;

import java.util.List;
import java.util.Optional;

/**
 * The ids (as text) of every unmatched row a full scan found: identities without a profile and profiles without
 * an identity, the excluded (anonymous, deleted) and soft-deleted ones included. Kept with the baseline, up to
 * {@code ghostwatch.steady-state-max-unmatched}, so a steady check looks at exactly these rows.
 *
 * @param rows       the rows as this run's full scan read them, to save (empty when read back from history)
 * @param rowsStored whether the history holds each kept row as its full scan read them ({@link KeptRows})
 * @param idsRead    false for {@link #IN_HISTORY}: the lists are empty and the ids are in the history, not read
 */
public record UnmatchedIds(List<String> identities, List<String> profiles, Optional<KeptRows> rows,
                           boolean rowsStored, boolean idsRead) {

    public UnmatchedIds {
        identities = List.copyOf(identities);
        profiles = List.copyOf(profiles);
    }

    public UnmatchedIds(List<String> identities, List<String> profiles, Optional<KeptRows> rows,
                        boolean rowsStored) {
        this(identities, profiles, rows, rowsStored, true);
    }

    /** Ids without their rows: a baseline an earlier version kept. */
    public UnmatchedIds(List<String> identities, List<String> profiles) {
        this(identities, profiles, Optional.empty(), false);
    }

    /**
     * Ids and rows kept in the history and not read: a check whose tables' counters did not move needs neither
     * (it counts the rows where they are), so it does not read thousands of ids for nothing.
     */
    public static final UnmatchedIds IN_HISTORY = new UnmatchedIds(List.of(), List.of(), Optional.empty(), true,
            false);

    public static final UnmatchedIds NONE = new UnmatchedIds(List.of(), List.of());
}
