package io.ghostwatch.path;

import java.util.Optional;
import java.util.Set;

/**
 * A trigger on the identity table, as the catalog shows it: part of the signup path whatever its state (a
 * disabled trigger is still the design; the trigger check judges its state).
 *
 * @param timing    {@code BEFORE}, {@code AFTER} or {@code INSTEAD OF}
 * @param events    of {@code INSERT}, {@code UPDATE}, {@code DELETE}, {@code TRUNCATE}
 * @param tgenabled {@code O}, {@code A}, {@code R} or {@code D}
 * @param when      its WHEN condition as PostgreSQL prints it, without the outer parentheses
 * @param function  the function it executes, schema-qualified, with its argument types
 */
public record PathTrigger(String name, String timing, Set<String> events, boolean rowLevel, String tgenabled,
                          Optional<String> when, String function, String language) {

    public PathTrigger {
        events = Set.copyOf(events);
    }

    /** Decodes {@code pg_trigger.tgtype}. */
    static String timing(int tgtype) {
        return (tgtype & 64) != 0 ? "INSTEAD OF" : (tgtype & 2) != 0 ? "BEFORE" : "AFTER";
    }

    static Set<String> events(int tgtype) {
        java.util.Set<String> events = new java.util.TreeSet<>();
        if ((tgtype & 4) != 0) {
            events.add("INSERT");
        }
        if ((tgtype & 8) != 0) {
            events.add("DELETE");
        }
        if ((tgtype & 16) != 0) {
            events.add("UPDATE");
        }
        if ((tgtype & 32) != 0) {
            events.add("TRUNCATE");
        }
        return events;
    }

    /**
     * A BEFORE DELETE row trigger that fires in ordinary sessions: what its function returns decides whether a
     * delete of an identity happens at all.
     */
    public boolean skipsDeletesIfNull() {
        return timing.equals("BEFORE") && rowLevel && events.contains("DELETE") && fires();
    }

    /** Fires in ordinary sessions: enabled ({@code O}) or always ({@code A}); not replica-only, not disabled. */
    public boolean fires() {
        return tgenabled.equals("O") || tgenabled.equals("A");
    }

    /** Runs in every signup's transaction: on INSERT, or on UPDATE (the auth server updates a new user's row). */
    public boolean onSignup() {
        return events.contains("INSERT") || events.contains("UPDATE");
    }
}
