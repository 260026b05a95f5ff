package io.ghostwatch.snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The rows a full scan left unmatched as they are now, from the tables whose counters moved or else as the scan
 * saved them (pure once known): which of them are ghosts or
 * orphans now, and the inserts and deletes that their changes account for in the tables' counters (an old ghost
 * that got its profile is one profile insert, an orphan whose identity came back one identity insert, a deleted
 * ghost one identity delete, a deleted orphan one profile delete). The counters' other moves belong to rows
 * outside these, which must still move in lockstep.
 */
public record Recheck(List<String> ghostIds, List<String> orphanIds, long identityInserts, long identityDeletes,
                      long profileInserts, long profileDeletes) {

    public Recheck {
        ghostIds = List.copyOf(ghostIds);
        orphanIds = List.copyOf(orphanIds);
    }

    /** Nothing kept, so nothing read again: a clean last full scan. */
    public static final Recheck NONE = new Recheck(List.of(), List.of(), 0, 0, 0, 0);

    /**
     * @param withIdentity the kept ids that have an identity row now
     * @param withProfile  the kept ids that have a profile row now
     */
    public static Recheck of(UnmatchedIds kept, Set<String> withIdentity, Set<String> withProfile) {
        List<String> ghosts = new ArrayList<>();
        List<String> orphans = new ArrayList<>();
        long identityInserts = 0;
        long identityDeletes = 0;
        long profileInserts = 0;
        long profileDeletes = 0;
        for (String id : kept.identities()) { // had an identity and no profile
            boolean identity = withIdentity.contains(id);
            boolean profile = withProfile.contains(id);
            identityDeletes += identity ? 0 : 1;
            profileInserts += profile ? 1 : 0;
            classify(id, identity, profile, ghosts, orphans);
        }
        for (String id : kept.profiles()) { // had a profile and no identity
            boolean identity = withIdentity.contains(id);
            boolean profile = withProfile.contains(id);
            profileDeletes += profile ? 0 : 1;
            identityInserts += identity ? 1 : 0;
            classify(id, identity, profile, ghosts, orphans);
        }
        return new Recheck(ghosts, orphans, identityInserts, identityDeletes, profileInserts, profileDeletes);
    }

    private static void classify(String id, boolean identity, boolean profile, List<String> ghosts,
                                 List<String> orphans) {
        if (identity && !profile) {
            ghosts.add(id);
        } else if (profile && !identity) {
            orphans.add(id);
        }
    }
}
