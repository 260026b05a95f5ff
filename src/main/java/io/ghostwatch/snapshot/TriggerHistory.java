package io.ghostwatch.snapshot;

/**
 * Where earlier checks of this target recorded the trigger's state (ghostwatch's history table, quoted), so
 * a snapshot can count the ghosts created while it was not firing.
 */
public record TriggerHistory(String table, String target) {
}
