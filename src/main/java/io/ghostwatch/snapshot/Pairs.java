package io.ghostwatch.snapshot;

import java.util.ArrayList;
import java.util.List;

/**
 * What the comparison of the two primary keys found in one key range (or all of them, summed): both row counts
 * and the ids without a partner, as text. Memory grows with the number of ghosts and orphans, never the table.
 */
record Pairs(long identities, long profiles, List<String> ghostIds, List<String> orphanIds) {

    static final Pairs NONE = new Pairs(0, 0, List.of(), List.of());

    Pairs plus(Pairs other) {
        List<String> ghosts = new ArrayList<>(ghostIds);
        ghosts.addAll(other.ghostIds);
        List<String> orphans = new ArrayList<>(orphanIds);
        orphans.addAll(other.orphanIds);
        return new Pairs(identities + other.identities, profiles + other.profiles, ghosts, orphans);
    }
}
