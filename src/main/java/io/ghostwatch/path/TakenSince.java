package io.ghostwatch.path;

import java.util.List;

/**
 * Ghosts an earlier check saw left out by design (kept by a full scan as a guest, or a user not yet confirmed) and
 * that are taken by the profile contract now: an update changed them (a guest's conversion) and made no profile.
 * Real evidence, from the history's kept rows, never a guess from the row as it is now.
 *
 * @param count  how many ghosts now were left out then
 * @param sample a few of their ids
 */
public record TakenSince(long count, List<String> sample) {

    public TakenSince {
        sample = List.copyOf(sample);
    }
}
