package io.ghostwatch.path;

/**
 * Something on the identity table that makes a DELETE of an identity do nothing, without an error: a {@code BEFORE
 * DELETE} row trigger whose function returns NULL (or NEW, which is NULL there), or a {@code DO INSTEAD} rule. The
 * user whose account was deleted keeps their login; if their profile was deleted with it, they count as a ghost,
 * and a backfill would give a profile back to someone who asked to be deleted.
 *
 * @param by   {@code trigger <name>} or {@code rule <name>}
 * @param how  what it does, e.g. {@code public.guard() returns NULL}
 * @param when which deletes it skips: the trigger's WHEN and the IFs around the RETURN (as text, and as SQL over the
 *             identity row where it can be written so)
 */
public record DeleteSkip(String by, String how, Condition when) {

    /** One line for reports. */
    public String describe() {
        return by + ": " + how + (when.always() ? ", for every delete" : ", when " + when.text());
    }
}
