package io.ghostwatch.roles;

import io.ghostwatch.sql.Identifier;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The persisted settings ({@code ALTER ROLE … SET}, {@code ALTER DATABASE … SET}) that a login as a role to the
 * current database gets, in PostgreSQL's order of precedence. {@code SET ROLE} applies none of them, which is
 * why a probe that only switches role does not run the way the auth server's own login does: Supabase's
 * {@code supabase_auth_admin} has {@code search_path = auth} persisted this way.
 *
 * @param values setting name → value, lowest precedence first, each name once with the value that wins
 */
public record LoginSettings(String role, Map<String, String> values) {

    /**
     * Lowest precedence first: every role everywhere (ALTER ROLE ALL), the database, the role, the role in the
     * database. A later row overrides an earlier one for the same name.
     */
    private static final String QUERY = """
            SELECT c
            FROM pg_db_role_setting s, unnest(s.setconfig) WITH ORDINALITY AS x(c, ord)
            WHERE (s.setdatabase = 0 OR s.setdatabase = (SELECT oid FROM pg_database
                                                         WHERE datname = current_database()))
              AND (s.setrole = 0 OR s.setrole = pg_catalog.to_regrole(?))
            ORDER BY s.setrole <> 0, s.setdatabase <> 0, x.ord
            """;

    public LoginSettings {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Reads the settings of {@code role} in the current database. */
    public static LoginSettings read(Connection c, Identifier role) throws SQLException {
        Map<String, String> values = new LinkedHashMap<>();
        try (PreparedStatement st = c.prepareStatement(QUERY)) {
            st.setString(1, role.quoted());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    String entry = rs.getString(1);
                    int eq = entry.indexOf('=');
                    if (eq > 0) {
                        String name = entry.substring(0, eq).trim().toLowerCase(java.util.Locale.ROOT);
                        values.remove(name); // keep the winner's position last, as it was applied last
                        values.put(name, entry.substring(eq + 1));
                    }
                }
            }
        }
        return new LoginSettings(role.name(), values);
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** A boolean setting's value as PostgreSQL reads it: on, true, yes, 1 (and prefixes of true and yes). */
    public static boolean isOn(String value) {
        String v = value.strip().replace("'", "").toLowerCase(Locale.ROOT);
        return v.equals("on") || v.equals("1") || (!v.isEmpty() && ("true".startsWith(v) || "yes".startsWith(v)));
    }
}
