package io.ghostwatch.remediate;

import io.ghostwatch.history.HistorySettings;
import io.ghostwatch.snapshot.Snapshot;
import io.ghostwatch.sql.SearchPath;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

/**
 * The audit trail of applied fixes in the history schema (the runbook's log_cleanup_job). Each write is a pinned
 * transaction of its own ({@link SearchPath#inTransaction}): {@code target = ?} compares text with a varchar
 * parameter, which an operator in a schema on the session's path would match exactly, ahead of pg_catalog's.
 */
final class Audit {

    private final HistorySettings history;

    Audit(HistorySettings history) {
        this.history = history;
    }

    /** A fix that was running when its process died is marked so; the lock proves nothing else runs. */
    void closeInterrupted(Connection c, String target) throws SQLException {
        SearchPath.inTransaction(c, () -> {
            try (PreparedStatement st = c.prepareStatement("UPDATE " + history.table("remediations")
                    + " SET outcome = 'interrupted', finished_at = now(), error = 'the process ended before it"
                    + " finished (committed batches stay)' WHERE target = ? AND outcome = 'running'")) {
                st.setString(1, target);
                st.executeUpdate();
            }
            return null;
        });
    }

    void start(Connection c, UUID id, String target, String action, String reason, Snapshot before,
               String statements) throws SQLException {
        SearchPath.inTransaction(c, () -> {
            try (PreparedStatement st = c.prepareStatement("INSERT INTO " + history.table("remediations")
                    + " (id, target, action, reason, before_counts, statements) VALUES (?, ?, ?, ?, ?::jsonb, ?)")) {
                st.setObject(1, id);
                st.setString(2, target);
                st.setString(3, action);
                st.setString(4, reason);
                st.setString(5, counts(before));
                st.setString(6, statements);
                st.executeUpdate();
            }
            return null;
        });
    }

    /** Stopped on request between batches: what was committed stays, a rerun completes it. */
    void interrupted(Connection c, UUID id, long rows) throws SQLException {
        SearchPath.inTransaction(c, () -> {
            try (PreparedStatement st = c.prepareStatement("UPDATE " + history.table("remediations")
                    + " SET finished_at = now(), rows_affected = ?, outcome = 'interrupted', error = 'stopped on"
                    + " request (SIGTERM or Ctrl-C) between batches; rerun to complete' WHERE id = ?")) {
                st.setLong(1, rows);
                st.setObject(2, id);
                st.executeUpdate();
            }
            return null;
        });
    }

    void finish(Connection c, UUID id, long rows, Snapshot after, String error) throws SQLException {
        SearchPath.inTransaction(c, () -> {
            try (PreparedStatement st = c.prepareStatement("UPDATE " + history.table("remediations")
                    + " SET finished_at = now(), rows_affected = ?, after_counts = ?::jsonb, outcome = ?, error = ?"
                    + " WHERE id = ?")) {
                st.setLong(1, rows);
                st.setString(2, after == null ? null : counts(after));
                st.setString(3, error == null ? "completed" : "failed");
                st.setString(4, error);
                st.setObject(5, id);
                st.executeUpdate();
            }
            return null;
        });
    }

    static String counts(Snapshot s) {
        return "{\"identities\":" + s.identities() + ",\"profiles\":" + s.profiles() + ",\"ghosts\":"
                + s.ghosts().total() + ",\"orphans\":" + s.orphans().unhandled() + ",\"triggerEnabled\":"
                + s.trigger().fires() + "}";
    }
}
