package io.ghostwatch.run;

import io.ghostwatch.path.ContractSelection;
import io.ghostwatch.path.ProfileContract;
import io.ghostwatch.path.SignupPath;
import io.ghostwatch.snapshot.TargetSchema;
import io.ghostwatch.sql.Identifier;
import io.ghostwatch.sql.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the signup path and fits the profile contract's selection into the schema a check reads with: applied
 * when it narrows the contract, is written in SQL, and the monitoring role may read every column it needs where
 * it reads identities (the table, or sql/supabase.sql's view). Runs inside the caller's pinned transaction.
 */
final class ContractResolution {

    private static final String READABLE = Sql.byName("""
            SELECT coalesce(bool_and(CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                        WHERE a.attrelid OPERATOR(pg_catalog.=) pg_catalog.to_regclass(?::text)
                          AND a.attname OPERATOR(pg_catalog.=) col AND a.attnum OPERATOR(pg_catalog.>) 0
                          AND NOT a.attisdropped)
                    THEN pg_catalog.has_column_privilege(pg_catalog.to_regclass(?::text), col::text, 'SELECT')
                    ELSE false END), true)
            FROM pg_catalog.unnest(?::name[]) AS c(col)
            """);

    private ContractResolution() {
    }

    /** The contract as the path defines it, and the schema with its selection (or without one). */
    record Resolved(TargetSchema schema, ProfileContract contract) {
    }

    static Resolved read(Connection c, TargetSchema schema, Optional<HistoryTable.Where> memory) throws SQLException {
        SignupPath path = SignupPath.read(c, schema.identityTable(), schema.identityId().name());
        Optional<ContractSelection> found = ContractSelection.of(path, schema.profileTable().schema().name(),
                schema.profileTable().name().name());
        Optional<java.time.Instant> rememberedFrom = Optional.empty();
        if (found.isEmpty() && memory.isPresent()) {
            // Nothing writes the profile now (its trigger or function dropped): the contract it had still holds.
            Optional<Remembered> r = remembered(c, memory.get(), path.identityColumns());
            if (r.isPresent()) {
                found = Optional.of(r.get().selection());
                rememberedFrom = Optional.of(r.get().seenAt());
            }
        }
        Optional<String> notApplied = found.isPresent() ? why(c, schema, found.get()) : Optional.empty();
        Optional<String> syncTrigger = syncTrigger(path, schema, found);
        ProfileContract contract = new ProfileContract(schema.profileTable().toString(), Optional.of(path), found,
                notApplied, rememberedFrom, syncTrigger);
        Optional<TargetSchema.Selection> selection = contract.applied() ? found.map(s -> new TargetSchema.Selection(
                s.condition().sql().orElseThrow(), s.condition().text(), s.agedFrom(), s.onUpdate(), s.triggers()))
                : Optional.empty();
        TargetSchema resolved = schema.withSelection(selection);
        return new Resolved(syncTrigger.map(t -> resolved.withTriggerName(Identifier.of(t))).orElse(resolved),
                contract);
    }

    /**
     * When no trigger of the configured name is on the identity table, the one the path writes the profile from
     * (an INSERT one first), or last did: checking that one says whether profiles are made, where the configured
     * name would only say "missing". Only a plain name, as configuration would take it.
     */
    private static Optional<String> syncTrigger(SignupPath path, TargetSchema schema,
                                                Optional<ContractSelection> found) {
        String configured = schema.triggerName().name();
        if (found.isEmpty() || path.triggers().stream().anyMatch(t -> t.name().equals(configured))) {
            return Optional.empty();
        }
        List<String> writers = found.get().triggers();
        Optional<String> insert = writers.stream().filter(w -> path.triggers().stream()
                .anyMatch(t -> t.name().equals(w) && t.events().contains("INSERT"))).findFirst();
        return insert.or(() -> writers.stream().findFirst()).filter(w -> w.matches("[A-Za-z_][A-Za-z0-9_$]{0,62}"));
    }

    private record Remembered(ContractSelection selection, java.time.Instant seenAt) {
    }

    private static Optional<Remembered> remembered(Connection c, HistoryTable.Where m, java.util.Set<String> columns)
            throws SQLException {
        if (!HistoryTable.readable(c, m.schema(), "profile_contract")) {
            return Optional.empty();
        }
        try (PreparedStatement st = c.prepareStatement("SELECT selects, aged_from, made_on_update, written_by,"
                + " seen_at FROM " + m.table() + " WHERE target OPERATOR(pg_catalog.=) ?::text")) {
            st.setString(1, m.target());
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                java.sql.Array written = rs.getArray(4);
                List<String> triggers = written == null ? List.of()
                        : java.util.Arrays.stream((Object[]) written.getArray()).map(String::valueOf).toList();
                return Optional.of(new Remembered(ContractSelection.remembered(rs.getString(1),
                        Optional.ofNullable(rs.getString(2)), rs.getBoolean(3), triggers, columns),
                        rs.getTimestamp(5).toInstant()));
            }
        }
    }

    /** Why a narrowing selection cannot be applied, if it cannot. */
    private static Optional<String> why(Connection c, TargetSchema schema, ContractSelection s) throws SQLException {
        if (s.condition().always()) {
            return Optional.empty();
        }
        if (!s.condition().translatable()) {
            return Optional.of("the path writes " + schema.profileTable() + " only when " + s.condition().text()
                    + ", which cannot be written in SQL (" + s.condition().untranslatable().orElse("") + ")");
        }
        List<String> columns = new ArrayList<>(s.columns());
        try (PreparedStatement st = c.prepareStatement(READABLE)) {
            st.setString(1, schema.identityRows().quoted());
            st.setString(2, schema.identityRows().quoted());
            st.setArray(3, c.createArrayOf("text", columns.toArray()));
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                if (rs.getBoolean(1)) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of("the monitoring role cannot read " + String.join(", ", columns) + " where it reads"
                + " identities (" + schema.identityRows() + "): GRANT SELECT (" + String.join(", ", columns.stream()
                .map(Sql::quoteIdent).toList()) + ") ON " + schema.identityRows().quoted() + " TO <monitor>;"
                + (schema.identityReadThrough().isPresent() ? " or re-run sql/supabase.sql, whose view has them" : ""));
    }
}
