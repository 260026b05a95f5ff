package io.ghostwatch.diagnose;

import io.ghostwatch.sql.Sql;
import io.ghostwatch.snapshot.TargetSchema;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The sync trigger and the function it executes, read once from the catalog for every rule (and for the
 * backfill that replays the function).
 *
 * @param triggerType       {@code pg_trigger.tgtype}
 * @param hasWhen           whether the trigger has a WHEN condition
 * @param triggerDefinition {@code pg_get_triggerdef}
 * @param name              the function, always schema-qualified and quoted where needed, with its argument
 *                          types: {@code public.handle_new_user()} whatever the search_path
 * @param language          e.g. {@code plpgsql}
 * @param owner             the function's owner role
 * @param securityDefiner   {@code prosecdef}
 * @param config            {@code proconfig}: settings fixed on the function, e.g. {@code search_path=""}
 * @param body              {@code prosrc}
 */
public record SyncFunction(int triggerType, boolean hasWhen, String triggerDefinition, long oid, String name,
                    String language, String owner, boolean securityDefiner, List<String> config, String body) {

    private static final String QUERY = Sql.byName("""
            SELECT t.tgtype, t.tgqual IS NOT NULL, pg_get_triggerdef(t.oid), p.oid::bigint,
                   pg_catalog.quote_ident(pn.nspname) || '.' || pg_catalog.quote_ident(p.proname)
                       || '(' || pg_catalog.oidvectortypes(p.proargtypes) || ')',
                   l.lanname, pg_get_userbyid(p.proowner), p.prosecdef, p.proconfig, coalesce(p.prosrc, '')
            FROM pg_trigger t
            JOIN pg_proc p ON p.oid = t.tgfoid
            JOIN pg_namespace pn ON pn.oid = p.pronamespace
            JOIN pg_language l ON l.oid = p.prolang
            WHERE t.tgname = ? AND t.tgrelid = pg_catalog.to_regclass(?) AND NOT t.tgisinternal
            """);

    public static Optional<SyncFunction> read(Connection c, TargetSchema schema) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(QUERY)) {
            st.setString(1, schema.triggerName().name());
            st.setString(2, schema.identityTable().quoted());
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Array config = rs.getArray(9);
                return Optional.of(new SyncFunction(rs.getInt(1), rs.getBoolean(2), rs.getString(3), rs.getLong(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getBoolean(8),
                        config == null ? List.of() : Arrays.asList((String[]) config.getArray()), rs.getString(10)));
            }
        }
    }

    /** The search_path fixed on the function ({@code SET search_path = …}), if any. */
    Optional<String> fixedSearchPath() {
        return config.stream().filter(s -> s.toLowerCase(Locale.ROOT).startsWith("search_path="))
                .map(s -> s.substring("search_path=".length())).findFirst();
    }

    boolean plpgsql() {
        return language.equals("plpgsql");
    }
}
