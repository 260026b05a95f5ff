package io.ghostwatch.signups;

import io.ghostwatch.snapshot.TargetSchema;
import io.ghostwatch.sql.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads {@link SignupKinds} from the identity rows the monitor may read: the read-through view's
 * {@code signup_kind} ({@code sql/supabase.sql}: never an address), else what the table's own columns tell
 * (Supabase's {@code is_anonymous}, the provider in {@code raw_app_meta_data}, a phone without an e-mail). Only the
 * kind leaves the database, never a value of a user's. Scans the identities created in the last eight days, so
 * it runs only while signups roll back.
 */
public final class SignupKindsReader {

    static final Duration BEFORE = Duration.ofDays(7);
    private static final int MOST_KINDS = 12;

    /** The kind columns the monitor may read on the rows it reads identities from. */
    private static final String READABLE = Sql.byName("""
            SELECT a.attname::text FROM pg_catalog.pg_attribute a
            WHERE a.attrelid = pg_catalog.to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped
              AND a.attname = ANY (ARRAY['signup_kind', 'is_anonymous', 'raw_app_meta_data', 'email', 'phone']::name[])
              AND pg_catalog.has_column_privilege(a.attrelid, a.attnum, 'SELECT')
            """);

    private SignupKindsReader() {
    }

    public static SignupKinds read(Connection c, TargetSchema schema, Instant from, Instant to)
            throws SQLException {
        Set<String> columns = new TreeSet<>();
        try (PreparedStatement st = c.prepareStatement(READABLE)) {
            st.setString(1, schema.identityRows().quoted());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
        }
        String kind = kind(columns);
        if (kind.isEmpty()) {
            return SignupKinds.unknown(from, schema.identityRows() + " shows the monitor no column that tells kinds"
                    + " of signup apart (signup_kind of sql/supabase.sql's view, or is_anonymous, raw_app_meta_data,"
                    + " email and phone)");
        }
        String created = "i." + schema.identityCreatedAt().quoted();
        String sql = "SELECT left(kind, 40), count(*) FILTER (WHERE created_at >= ?),"
                + " count(*) FILTER (WHERE created_at < ?)"
                + " FROM (SELECT " + kind + " AS kind, " + created + " AS created_at FROM "
                + schema.identityRows().quoted() + " i WHERE " + created + " >= ?) k"
                + " GROUP BY 1 ORDER BY 2 DESC, 3 DESC, 1 LIMIT " + MOST_KINDS;
        Map<String, Long> since = new LinkedHashMap<>();
        Map<String, Long> before = new LinkedHashMap<>();
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setTimestamp(1, Timestamp.from(from));
            st.setTimestamp(2, Timestamp.from(from));
            st.setTimestamp(3, Timestamp.from(from.minus(BEFORE)));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    String k = rs.getString(1) == null ? "unknown" : rs.getString(1);
                    since.merge(k, rs.getLong(2), Long::sum);
                    before.merge(k, rs.getLong(3), Long::sum);
                }
            }
        }
        return new SignupKinds(since, before, from, to, java.util.Optional.empty());
    }

    /** The kind of an identity row {@code i} as SQL, from the columns readable; empty when none tells. */
    static String kind(Set<String> columns) {
        if (columns.contains("signup_kind")) {
            return "i.signup_kind";
        }
        StringBuilder cases = new StringBuilder();
        if (columns.contains("is_anonymous")) {
            cases.append(" WHEN i.is_anonymous THEN 'anonymous'");
        }
        if (columns.contains("raw_app_meta_data")) {
            cases.append(" WHEN i.raw_app_meta_data ->> 'provider' IS NOT NULL THEN i.raw_app_meta_data ->> 'provider'");
        }
        if (columns.contains("phone") && columns.contains("email")) {
            cases.append(" WHEN i.email IS NULL AND i.phone IS NOT NULL THEN 'phone'");
        }
        if (cases.isEmpty() || !columns.contains("raw_app_meta_data") && !columns.contains("email")) {
            return "";
        }
        return "CASE" + cases + " ELSE 'email' END";
    }
}
