package io.ghostwatch.snapshot;

/**
 * Profiles without an identity (runbook scenario 4).
 *
 * @param unhandled   orphans not soft-deleted: the P2 finding
 * @param softDeleted orphans already soft-deleted: handled, reported for transparency only
 */
public record Orphans(long unhandled, long softDeleted) {

    public long total() {
        return unhandled + softDeleted;
    }
}
