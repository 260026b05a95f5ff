package io.ghostwatch.path;

import java.util.List;
import java.util.Optional;

/**
 * The profile contract as this check applies it: the signup path read from the catalog, what it says of the
 * profile table, and whether that could be applied. When the path's condition cannot be written in SQL, or the
 * monitoring role may not read the columns it needs, every identity is counted (as before the path was read) and
 * {@link #notApplied} says why: identities the path leaves out by design may then show as ghosts.
 *
 * @param table      the profile table, {@code schema.name}
 * @param path       the signup path; empty when it was not read ({@code ghostwatch.profile.selection=all})
 * @param selection  what the path says of the profile table; empty when no trigger's function writes it
 * @param notApplied why the selection is not applied, when it is not and is not "every identity"
 * @param rememberedFrom when the selection is not on the path any more but the one it last had (the trigger or
 *                   its function dropped), when that was seen
 * @param syncTrigger the trigger checked as the sync trigger instead of the configured one, which is not on the
 *                   identity table: the one the path writes the profile from (or last did)
 */
public record ProfileContract(String table, Optional<SignupPath> path, Optional<ContractSelection> selection,
                              Optional<String> notApplied, Optional<java.time.Instant> rememberedFrom,
                              Optional<String> syncTrigger) {

    public ProfileContract(String table, Optional<SignupPath> path, Optional<ContractSelection> selection,
                           Optional<String> notApplied) {
        this(table, path, selection, notApplied, Optional.empty(), Optional.empty());
    }

    /** Every identity, by configuration: the path is not read. */
    public static ProfileContract everyIdentity(String table) {
        return new ProfileContract(table, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The selection was read from the path as it is now (not remembered): the one to keep for later runs. */
    public boolean seenOnPath() {
        return path.isPresent() && selection.isPresent() && rememberedFrom.isEmpty();
    }

    /** The check could not read the path (a database error): it counts every identity and says why. */
    public boolean unread() {
        return path.isEmpty() && notApplied.isPresent();
    }

    /** Whether the path's selection narrows the contract (guests skipped, made on confirmation). */
    public boolean applied() {
        return selection.isPresent() && notApplied.isEmpty() && !selection.get().condition().always();
    }

    /** The triggers that write the profile, or none. */
    public List<String> writers() {
        return selection.map(ContractSelection::triggers).orElse(List.of());
    }
}
