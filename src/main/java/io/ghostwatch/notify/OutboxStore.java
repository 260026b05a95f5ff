package io.ghostwatch.notify;

import io.ghostwatch.history.HistorySettings;
import io.ghostwatch.judge.Priority;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL over {@code notify_state} and {@code outbox} in the history schema. Callers own the transactions. */
final class OutboxStore {

    /** An undelivered notification. */
    record Pending(UUID id, Channel channel, String kind, String payload, int attempts, int runsTried) {
    }

    private final HistorySettings history;

    OutboxStore(HistorySettings history) {
        this.history = history;
    }

    /** Locks the target's state row for this transaction, so two runs cannot both decide to notify. */
    Optional<NotifyState> lockState(Connection c, String target) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT priority, priority_since, incident_opened_at,"
                + " last_notified_at, escalated_at FROM " + history.table("notify_state")
                + " WHERE target = ? FOR UPDATE")) {
            st.setString(1, target);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new NotifyState(Priority.valueOf(rs.getString(1)), rs.getTimestamp(2).toInstant(),
                        instant(rs, 3), instant(rs, 4), instant(rs, 5)));
            }
        }
    }

    void saveState(Connection c, String target, NotifyState s) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO " + history.table("notify_state")
                + " (target, priority, priority_since, incident_opened_at, last_notified_at, escalated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (target) DO UPDATE SET priority = EXCLUDED.priority,"
                + " priority_since = EXCLUDED.priority_since, incident_opened_at = EXCLUDED.incident_opened_at,"
                + " last_notified_at = EXCLUDED.last_notified_at, escalated_at = EXCLUDED.escalated_at")) {
            st.setString(1, target);
            st.setString(2, s.priority().name());
            st.setTimestamp(3, Timestamp.from(s.prioritySince()));
            st.setTimestamp(4, s.incidentOpenedAt().map(Timestamp::from).orElse(null));
            st.setTimestamp(5, s.lastNotifiedAt().map(Timestamp::from).orElse(null));
            st.setTimestamp(6, s.escalatedAt().map(Timestamp::from).orElse(null));
            st.executeUpdate();
        }
    }

    void enqueue(Connection c, UUID id, String target, Channel channel, String kind, String payload)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO " + history.table("outbox")
                + " (id, target, channel, kind, payload) VALUES (?, ?, ?, ?, ?)")) {
            st.setObject(1, id);
            st.setString(2, target);
            st.setString(3, channel.wireName());
            st.setString(4, kind);
            st.setString(5, payload);
            st.executeUpdate();
        }
    }

    /** Undelivered rows, oldest first, locked: a concurrent run skips them instead of sending them twice. */
    List<Pending> lockPending(Connection c, String target) throws SQLException {
        List<Pending> rows = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT id, channel, kind, payload, attempts, runs_tried FROM "
                + history.table("outbox") + " WHERE target = ? AND delivered_at IS NULL AND given_up_at IS NULL"
                + " ORDER BY created_at, id FOR UPDATE SKIP LOCKED")) {
            st.setString(1, target);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Pending(rs.getObject(1, UUID.class), Channel.fromWire(rs.getString(2)),
                            rs.getString(3), rs.getString(4), rs.getInt(5), rs.getInt(6)));
                }
            }
        }
        return rows;
    }

    void markDelivered(Connection c, UUID id, int attempts) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE " + history.table("outbox")
                + " SET delivered_at = now(), attempts = attempts + ?, runs_tried = runs_tried + 1,"
                + " last_error = NULL WHERE id = ?")) {
            st.setInt(1, attempts);
            st.setObject(2, id);
            st.executeUpdate();
        }
    }

    void markFailed(Connection c, UUID id, int attempts, String error, boolean giveUp) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE " + history.table("outbox")
                + " SET attempts = attempts + ?, runs_tried = runs_tried + 1, last_error = ?,"
                + " given_up_at = CASE WHEN ? THEN now() END WHERE id = ?")) {
            st.setInt(1, attempts);
            st.setString(2, error);
            st.setBoolean(3, giveUp);
            st.setObject(4, id);
            st.executeUpdate();
        }
    }

    long countPending(Connection c, String target) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT count(*) FROM " + history.table("outbox")
                + " WHERE target = ? AND delivered_at IS NULL AND given_up_at IS NULL")) {
            st.setString(1, target);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Optional<Instant> instant(ResultSet rs, int column) throws SQLException {
        return Optional.ofNullable(rs.getTimestamp(column)).map(Timestamp::toInstant);
    }
}
