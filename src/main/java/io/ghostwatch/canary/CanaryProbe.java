package io.ghostwatch.canary;

import io.ghostwatch.snapshot.TargetSchema;
import io.ghostwatch.sql.Identifier;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One synthetic signup in a transaction that is always rolled back: insert an identity (as the signup role
 * where the monitoring role may act as it), look for its profile, roll back. Nothing is ever committed: the
 * connection never sends COMMIT, so a process killed mid-probe leaves the server to abort the transaction.
 */
public final class CanaryProbe {

    /** Canary ids start with "ghst" in hex, so one seen in a log is recognisable. */
    static final String ID_PREFIX = "67687374-0000-4000-8000-";

    private final TargetSchema schema;
    private final CanarySettings settings;
    private final Identifier emailColumn;

    public CanaryProbe(TargetSchema schema, CanarySettings settings, Identifier emailColumn) {
        this.schema = schema;
        this.settings = settings;
        this.emailColumn = emailColumn;
    }

    public CanaryResult run(Connection c) throws SQLException {
        String id = ID_PREFIX + HexFormat.of().formatHex(longBytes(ThreadLocalRandom.current().nextLong()))
                .substring(0, 12);
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (PreparedStatement st = c.prepareStatement(
                    "SELECT set_config('statement_timeout', ?, true), set_config('lock_timeout', ?, true)")) {
                st.setString(1, settings.timeout().toMillis() + "ms");
                st.setString(2, settings.timeout().toMillis() + "ms");
                st.execute();
            }
            boolean asRole = settings.role().isPresent() && canActAs(c, settings.role().get());
            try (Statement st = c.createStatement()) {
                if (asRole) {
                    st.execute("SET LOCAL ROLE " + settings.role().get().quoted());
                }
            }
            try {
                insert(c, id);
            } catch (SQLException e) {
                c.rollback();
                String message = oneLine(e);
                if ("42501".equals(e.getSQLState()) && message.contains(schema.identityTable().name().name())) {
                    return new CanaryResult(CanaryResult.Outcome.NOT_RUN, "the monitoring role may not insert into "
                            + schema.identityTable() + " (" + message + "): grant it membership in the signup role"
                            + " or INSERT on the table, or turn the canary off");
                }
                return new CanaryResult(CanaryResult.Outcome.INSERT_FAILED, message);
            }
            try (Statement st = c.createStatement()) {
                st.execute("RESET ROLE");
            }
            try (PreparedStatement st = c.prepareStatement("SELECT count(*) FROM " + schema.profileTable().quoted()
                    + " WHERE " + schema.profileId().quoted() + "::text = ?")) {
                st.setString(1, id);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    return rs.getLong(1) > 0
                            ? new CanaryResult(CanaryResult.Outcome.PROFILE_CREATED, "trigger fired for " + id
                                    + (asRole ? " as " + settings.role().get() : ""))
                            : new CanaryResult(CanaryResult.Outcome.NO_PROFILE, "identity " + id + " was inserted"
                                    + (asRole ? " as " + settings.role().get() : "") + " but got no profile");
                }
            }
        } finally {
            c.rollback();
            c.setAutoCommit(autoCommit);
        }
    }

    private void insert(Connection c, String id) throws SQLException {
        List<String> columns = new ArrayList<>(List.of(schema.identityId().quoted(),
                schema.identityCreatedAt().quoted()));
        List<String> placeholders = new ArrayList<>(List.of("?::uuid", "now()"));
        List<String> values = new ArrayList<>(List.of(id));
        boolean emailSet = false;
        for (Map.Entry<Identifier, String> e : settings.values().entrySet()) {
            columns.add(e.getKey().quoted());
            placeholders.add("?");
            values.add(e.getValue());
            emailSet |= e.getKey().equals(emailColumn);
        }
        if (!emailSet && identityHasColumn(c, emailColumn)) {
            columns.add(emailColumn.quoted());
            placeholders.add("?");
            values.add("canary-" + id + "@ghostwatch.invalid"); // a reserved TLD: never a real address
        }
        try (PreparedStatement st = c.prepareStatement("INSERT INTO " + schema.identityTable().quoted() + " ("
                + String.join(", ", columns) + ") VALUES (" + String.join(", ", placeholders) + ")")) {
            for (int i = 0; i < values.size(); i++) {
                st.setObject(i + 1, values.get(i), Types.OTHER);
            }
            st.executeUpdate();
        }
    }

    private static boolean canActAs(Connection c, Identifier role) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT CASE WHEN to_regrole(?) IS NULL THEN false"
                + " ELSE pg_has_role(current_user, to_regrole(?), 'MEMBER') END")) {
            st.setString(1, role.quoted());
            st.setString(2, role.quoted());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private boolean identityHasColumn(Connection c, Identifier column) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid ="
                + " to_regclass(?) AND attname = ? AND attnum > 0 AND NOT attisdropped)")) {
            st.setString(1, schema.identityTable().quoted());
            st.setString(2, column.name());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static byte[] longBytes(long v) {
        return java.nio.ByteBuffer.allocate(8).putLong(v).array();
    }

    private static String oneLine(SQLException e) {
        return String.valueOf(e.getMessage()).lines().findFirst().orElse("").replaceFirst("^ERROR:\\s*", "");
    }
}
