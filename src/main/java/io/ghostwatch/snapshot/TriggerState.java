package io.ghostwatch.snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The sync trigger as the catalog shows it, matched by name <em>and</em> table (DESIGN.md's first trap).
 *
 * @param tgenabled                 {@code pg_trigger.tgenabled} of the trigger on the identity table; empty when
 *                                  no trigger of that name exists there
 * @param function                  the function it executes, {@code schema.name}
 * @param configuredFunctionExists  whether the configured sync function exists at all
 * @param sameNameElsewhere         tables that carry a trigger of the same name (not the sync trigger)
 * @param replicaOverrides          persisted {@code session_replication_role = replica} settings that stop
 *                                  ordinary triggers for the sessions that sign users up
 * @param cannotSync                why the trigger, though it fires, cannot give a new identity its profile
 *                                  (FOR EACH STATEMENT, or not on INSERT); empty when it is a row-level INSERT
 *                                  trigger
 */
public record TriggerState(Optional<String> tgenabled, Optional<String> function, boolean configuredFunctionExists,
                           List<String> sameNameElsewhere, List<ReplicaOverride> replicaOverrides,
                           Optional<String> cannotSync) {

    public TriggerState {
        sameNameElsewhere = List.copyOf(sameNameElsewhere);
        replicaOverrides = List.copyOf(replicaOverrides);
    }

    public TriggerState(Optional<String> tgenabled, Optional<String> function, boolean configuredFunctionExists,
                        List<String> sameNameElsewhere, List<ReplicaOverride> replicaOverrides) {
        this(tgenabled, function, configuredFunctionExists, sameNameElsewhere, replicaOverrides, Optional.empty());
    }

    /**
     * {@code pg_trigger.tgtype} bits: why such a trigger cannot sync a row, if it cannot. A row-level UPDATE
     * trigger is how a profile made on confirmation is meant to be made, when the signup path says so
     * ({@code madeOnUpdate}).
     */
    public static Optional<String> shapeProblem(int tgtype, boolean madeOnUpdate) {
        List<String> problems = new ArrayList<>();
        if ((tgtype & 1) == 0) {
            problems.add("FOR EACH STATEMENT (it sees no new row)");
        }
        if ((tgtype & 4) == 0 && !(madeOnUpdate && (tgtype & 16) != 0)) {
            problems.add("not fired by INSERT");
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join(" and ", problems));
    }

    public static TriggerState absent(boolean functionExists) {
        return new TriggerState(Optional.empty(), Optional.empty(), functionExists, List.of(), List.of());
    }

    public boolean present() {
        return tgenabled.isPresent();
    }

    /** {@code O} (origin, the default) and {@code A} (always) fire for ordinary sessions; {@code D} and {@code R} do not. */
    public boolean enabledInCatalog() {
        return tgenabled.filter(s -> s.equals("O") || s.equals("A")).isPresent();
    }

    /**
     * Whether a signup fires it. An {@code A} trigger fires even in replica mode; an {@code O} one is skipped
     * there, so a persisted replica setting silences it.
     */
    public boolean fires() {
        if (tgenabled.filter("A"::equals).isPresent()) {
            return true;
        }
        return enabledInCatalog() && replicaOverrides.isEmpty();
    }

    /** Everything of this state that decides whether signups sync, as one comparable string. */
    public String fingerprint() {
        return tgenabled.orElse("-") + "|" + function.orElse("-") + "|" + configuredFunctionExists + "|"
                + String.join(",", replicaOverrides.stream().map(ReplicaOverride::scope).toList())
                + cannotSync.map(p -> "|" + p).orElse("");
    }

    /** A persisted setting that puts signup sessions into replica mode, and the statement that undoes it. */
    public record ReplicaOverride(String scope, String undo) {
    }
}
