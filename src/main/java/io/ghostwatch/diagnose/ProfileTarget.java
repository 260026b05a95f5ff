package io.ghostwatch.diagnose;

import io.ghostwatch.sql.Sql;
import io.ghostwatch.snapshot.TargetSchema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Where the sync function puts profiles, read from its text: the first table it inserts into that exists and is
 * not the identity table, resolved through the function's own search_path (else {@code public}). The docs'
 * starter writes {@code public.profiles}; ghostwatch's default is the runbook's {@code public.users}, so this
 * is what names the setting when the two differ.
 *
 * @param function   the sync function, as {@code regprocedure} text
 * @param table      the table as {@code schema.name}
 * @param configured whether it is the configured profile table
 */
public record ProfileTarget(String function, String table, boolean configured) {

    private static final String RESOLVE = Sql.byName("""
            SELECT pg_catalog.format('%I.%I', n.nspname, c.relname),
                   c.oid OPERATOR(pg_catalog.=) pg_catalog.to_regclass(?::text) AS configured
            FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
            WHERE n.nspname OPERATOR(pg_catalog.=) ?::name AND c.relname OPERATOR(pg_catalog.=) ?::name
              AND c.relkind IN ('r', 'p', 'v', 'f')
              AND c.oid OPERATOR(pg_catalog.<>) pg_catalog.to_regclass(?::text)
            """);

    /** Empty when the function is missing, not PL/pgSQL, or names no existing table but the identity table. */
    public static Optional<ProfileTarget> read(Connection c, TargetSchema schema) throws SQLException {
        Optional<SyncFunction> f = SyncFunction.read(c, schema);
        return f.isEmpty() ? Optional.empty() : of(c, schema, f.get());
    }

    /** The same, for a sync function already read (the causes have it). */
    static Optional<ProfileTarget> of(Connection c, TargetSchema schema, SyncFunction f) throws SQLException {
        if (!f.plpgsql()) {
            return Optional.empty();
        }
        List<String> path = f.fixedSearchPath().map(p -> EffectivePath.schemas(p, Optional.empty()))
                .orElse(List.of("public"));
        for (PlpgsqlText.Target target : PlpgsqlText.of(f.body()).writeTargets()) {
            if (!target.verb().startsWith("INSERT")) {
                continue;
            }
            for (String candidate : target.schema().map(List::of).orElse(path)) {
                try (PreparedStatement st = c.prepareStatement(RESOLVE)) {
                    st.setString(1, schema.profileTable().quoted());
                    st.setString(2, candidate);
                    st.setString(3, target.name());
                    st.setString(4, schema.identityTable().quoted());
                    try (ResultSet rs = st.executeQuery()) {
                        if (rs.next()) {
                            return Optional.of(new ProfileTarget(f.name(), rs.getString(1),
                                    rs.getBoolean(2)));
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The hint for a configured profile table the function does not write. */
    public String hint() {
        return "the sync function " + function + " inserts its profiles into " + table + ": set"
                + " ghostwatch.profile.table=" + table + " (GHOSTWATCH_PROFILE_TABLE)";
    }
}
