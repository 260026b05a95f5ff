package io.ghostwatch.path;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A discovered contract's count and the statistics' cumulative counts of both tables when it was made: the
 * steady state of one contract. Rows go missing or come back only through inserts, deletes (and, for a row made
 * on a later update, updates) of the two tables, so while those counts say nothing that could change the answer
 * happened, the next check carries the count instead of reading the window's identities again.
 *
 * @param shape     {@link TableContract#shape()} of the contract it was counted by
 * @param countedAt when (the database's clock)
 * @param counts    the statistics' counts, read before the count
 * @param othersWithout identities of the window without a row that the contract does not take (left out by
 *                  design, or not yet confirmed): an update may turn one into a missing row
 * @param orphans   the table's rows whose key names no identity (a hard delete it did not follow)
 * @param orphanSample a few of their keys
 */
public record ContractTally(String shape, Instant countedAt, Counts counts, long missing,
                            Optional<Instant> oldestMissing, List<String> sample, long othersWithout, long orphans,
                            List<String> orphanSample) {

    public ContractTally {
        sample = List.copyOf(sample);
        orphanSample = List.copyOf(orphanSample);
    }

    /** Cumulative counts from the statistics (rolled-back rows included, as they count them). */
    public record Counts(long identityInserts, long identityUpdates, long identityDeletes, long tableInserts,
                         long tableDeletes) {
    }

    /**
     * Why this contract must be counted again now rather than carry {@code kept}; empty when the kept count still
     * holds. A row goes missing only by an identity inserted without it, a row deleted, or an update that makes an
     * identity without one selected; it comes back by an insert, an identity's delete, or an update. So a contract
     * every signup writes (in the signup's transaction, for every identity) holds while both tables' inserts and
     * deletes moved by the same amounts (each signup one row each, each delete cascading); any other only while
     * neither table's inserts and deletes moved. Updates of identities (every sign-in) matter only while some
     * identity of the window lacks a row. Never longer than {@code interval}: identities leave the window.
     */
    public static Optional<String> recountBecause(TableContract contract, Optional<ContractTally> kept, Counts now,
                                                  Instant at, Duration interval) {
        if (kept.isEmpty()) {
            return Optional.of("no count kept");
        }
        ContractTally k = kept.get();
        Counts was = k.counts();
        if (!k.shape().equals(contract.shape())) {
            return Optional.of("the contract changed since the last count");
        }
        if (Duration.between(k.countedAt(), at).compareTo(interval) >= 0) {
            return Optional.of("the last count is older than the full scan interval");
        }
        long identityInserts = now.identityInserts() - was.identityInserts();
        long identityUpdates = now.identityUpdates() - was.identityUpdates();
        long identityDeletes = now.identityDeletes() - was.identityDeletes();
        long tableInserts = now.tableInserts() - was.tableInserts();
        long tableDeletes = now.tableDeletes() - was.tableDeletes();
        if (identityInserts < 0 || identityUpdates < 0 || identityDeletes < 0 || tableInserts < 0
                || tableDeletes < 0) {
            return Optional.of("a counter went backwards (statistics reset)");
        }
        boolean lockstep = contract.everySignup();
        if (lockstep && (identityInserts != tableInserts || identityDeletes != tableDeletes)) {
            return Optional.of("inserts or deletes of the two tables did not move together");
        }
        if (!lockstep && identityInserts + identityDeletes + tableInserts + tableDeletes > 0) {
            return Optional.of("rows of the two tables were inserted or deleted");
        }
        if (identityUpdates > 0 && (k.missing() > 0 || k.othersWithout() > 0)) {
            return Optional.of("identities were updated while some lack a row");
        }
        return Optional.empty();
    }
}
