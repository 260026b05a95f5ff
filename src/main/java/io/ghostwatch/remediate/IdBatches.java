package io.ghostwatch.remediate;

import io.ghostwatch.config.Settings;
import io.ghostwatch.sql.PgArrays;
import io.ghostwatch.throttle.Throttle;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Types;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Runs a {@link BatchWriter} over the planned ids, a slice per short transaction, each slice as large as the
 * throttle says and started when it says; or over the first slice only, rolled back, as the dry run's proof.
 */
final class IdBatches {

    private IdBatches() {
    }

    /** The common end of every batch statement: the audit's ids in the same transaction, then how many changed. */
    static String recordAndCount(Settings settings, String changedCte, String idColumn, String remediationParam) {
        return ", recorded AS (INSERT INTO " + settings.history().table("remediated_ids")
                + " (remediation_id, user_id) SELECT " + remediationParam + ", " + idColumn + "::text FROM "
                + changedCte + ")" + count(changedCte);
    }

    /** The end of a batch statement that records nothing (a trial): how many changed. */
    static String count(String changedCte) {
        return " SELECT count(*) AS changed FROM " + changedCte;
    }

    /**
     * One statement that re-checks and writes the ids ({@code ?} 1, an untyped array literal) and, when
     * {@code remediationParam} ({@code ?} 2) is given, records them for the audit; it returns {@code changed}.
     * {@code hint} says what to change for a failure the statement's own settings caused.
     */
    static BatchWriter statement(String writeSql, String auditedSql, String how,
                                 Function<SQLException, Optional<String>> hint) {
        return new BatchWriter() {
            @Override
            public long write(Connection c, List<String> ids, Optional<UUID> audit) throws SQLException {
                try (PreparedStatement st = c.prepareStatement(audit.isPresent() ? auditedSql : writeSql)) {
                    st.setObject(1, PgArrays.literal(ids), Types.OTHER);
                    if (audit.isPresent()) {
                        st.setObject(2, audit.get());
                    }
                    try (ResultSet rs = st.executeQuery()) {
                        rs.next();
                        return rs.getLong("changed");
                    }
                }
            }

            @Override
            public List<String> statements() {
                return List.of(auditedSql.replaceFirst("\\?", "\\$ids").replaceFirst("\\?", "\\$remediation"));
            }

            @Override
            public String how() {
                return how;
            }

            @Override
            public Optional<String> hint(SQLException failure) {
                return hint.apply(failure);
            }
        };
    }

    /**
     * A stop request ends the run between batches with {@link InterruptedFixException}; any failure with
     * {@link PartialFixException}: both carry the rows committed so far, which stay.
     */
    static long run(Connection c, Settings settings, BatchWriter writer, List<String> ids, UUID remediationId,
                    Progress progress, Throttle throttle) throws SQLException {
        long changed = 0;
        int from = 0;
        while (from < ids.size()) {
            long done = changed;
            try {
                if (!throttle.awaitTurn(c, done, why -> progress.waiting(done, why))) {
                    throw new InterruptedFixException(changed);
                }
                int size = Math.min(throttle.batchSize(), ids.size() - from);
                Transactions.begin(c, settings);
                long started = System.nanoTime();
                changed += writer.write(c, ids.subList(from, from + size), Optional.of(remediationId));
                c.commit();
                throttle.observed(size, System.nanoTime() - started);
                from += size;
                progress.update(changed, from >= ids.size(), size);
            } catch (InterruptedFixException e) {
                throw e;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw new PartialFixException(done, e);
            }
        }
        return changed;
    }

    /**
     * The first {@code limit} ids written in a transaction that is always rolled back: proof that the plan can
     * apply, before anything is applied. Returns how many rows it would change; throws what applying would.
     */
    static long trial(Connection c, Settings settings, BatchWriter writer, List<String> ids, int limit)
            throws SQLException {
        return rolledBack(c, settings, () -> writer.write(c, ids.subList(0, Math.min(limit, ids.size())),
                Optional.empty()));
    }

    /**
     * How many of the first {@code limit} ids fail on their own with an integrity violation, each written under
     * a savepoint in a transaction that is rolled back: the count a refused trial reports.
     */
    static long violations(Connection c, Settings settings, BatchWriter writer, List<String> ids, int limit)
            throws SQLException {
        return rolledBack(c, settings, () -> {
            long failing = 0;
            for (String id : ids.subList(0, Math.min(limit, ids.size()))) {
                Savepoint before = c.setSavepoint();
                try {
                    writer.write(c, List.of(id), Optional.empty());
                    c.releaseSavepoint(before);
                } catch (SQLException e) {
                    if (!integrityViolation(e)) {
                        throw e;
                    }
                    failing++;
                    c.rollback(before);
                }
            }
            return failing;
        });
    }

    /** SQLSTATE class 23: a constraint the rows violate, not a fault of the connection or the statement. */
    static boolean integrityViolation(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("23");
    }

    private interface Work {
        long run() throws SQLException;
    }

    /** {@code work} in a write transaction that is always rolled back; the connection left as it was. */
    private static long rolledBack(Connection c, Settings settings, Work work) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        Transactions.begin(c, settings);
        try {
            return work.run();
        } finally {
            c.rollback();
            c.setAutoCommit(autoCommit);
        }
    }

    private static void rollbackQuietly(Connection c, Exception failure) {
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
        } catch (SQLException e) {
            failure.addSuppressed(e); // the connection is likely gone; the first error says why
        }
    }
}
