package io.ghostwatch.snapshot;

/**
 * ghostwatch's own history tables (quoted), which a snapshot reads: earlier checks' trigger states, to count
 * the ghosts created while it was not firing, and the last full scan's baseline with the unmatched ids it kept,
 * for the steady state.
 */
public record HistoryTables(String runs, String scanState, String unmatched, String target) {
}
