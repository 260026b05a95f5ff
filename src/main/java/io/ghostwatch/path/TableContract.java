package io.ghostwatch.path;

import io.ghostwatch.sql.Sql;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One contract besides the profile's: "every identity the selection takes has a row in {@code schema.table} keyed
 * by its id in {@code keyColumn}, {@code grace} after {@code agedFrom}". Declared in configuration (rows the
 * application writes after signup), or discovered on the signup path (a second table its functions write). Names
 * come from the catalog or from configuration and are always quoted, never validated as plain.
 *
 * @param name       the label: a declared contract's name, or {@code schema.table} for a discovered one
 * @param schema     the table's schema
 * @param table      the table
 * @param keyColumn  the column that holds the identity's id
 * @param grace      how long after {@code agedFrom} the row may take (0: written in the signup's transaction)
 * @param selects    which identities must have it; {@link Condition#ALWAYS} for every one
 * @param agedFrom   the identity column a missing row is aged from (a confirmation time); empty: its creation
 * @param discovered read from the signup path, not declared
 * @param triggers   the triggers whose functions write it (discovered), for reports
 */
public record TableContract(String name, String schema, String table, String keyColumn, Duration grace,
                            Condition selects, Optional<String> agedFrom, boolean discovered,
                            List<String> triggers) {

    public TableContract {
        triggers = List.copyOf(triggers);
    }

    public static TableContract declared(DeclaredContract d) {
        return new TableContract(d.name(), d.table().schema().name(), d.table().name().name(), d.keyColumn().name(),
                d.grace(), Condition.ALWAYS, Optional.empty(), false, List.of());
    }

    /** {@code schema.table} as named. */
    public String where() {
        return schema + "." + table;
    }

    public String quotedTable() {
        return Sql.quoteIdent(schema) + "." + Sql.quoteIdent(table);
    }

    public String quotedKey() {
        return Sql.quoteIdent(keyColumn);
    }

    /**
     * What the count depends on: a kept count of another shape (the path now writes it under another
     * condition, another key) was counted by other rules and is not carried.
     */
    public String shape() {
        return where() + "(" + keyColumn + ") " + selects.sql().orElse("?") + agedFrom.map(a -> " aged " + a)
                .orElse("") + " after " + grace.toSeconds() + "s";
    }

    /** In one line, for findings. */
    public String describe() {
        return discovered ? where() + " keyed by " + keyColumn + (selects.always() ? " for every identity"
                : " for identities where " + selects.text()) + " (written by trigger " + String.join(", ", triggers)
                + ")"
                : name + " (" + where() + " keyed by " + keyColumn + ", within " + grace.toSeconds() + "s of signup)";
    }

    /**
     * The tables the path writes a row in, keyed by the identity's id, other than the profile table and those a
     * declared contract names (a declaration overrides what the path shows): one contract each, whose condition
     * says which identities it must have. Only rows an INSERT or upsert makes; an UPDATE makes none.
     */
    public static List<TableContract> discovered(SignupPath path, String profileSchema, String profileTable,
                                                 List<DeclaredContract> declared) {
        Set<String> overridden = new java.util.HashSet<>();
        declared.forEach(d -> overridden.add(d.table().schema().name() + "." + d.table().name().name()));
        Map<String, PathWrite> tables = new LinkedHashMap<>();
        for (PathWrite w : path.writes()) {
            if (w.schema().isPresent() && w.keyColumn().isPresent() && !w.verb().equals("UPDATE")
                    && !w.writes(profileSchema, profileTable) && !overridden.contains(w.where())) {
                tables.putIfAbsent(w.where(), w);
            }
        }
        List<TableContract> contracts = new ArrayList<>();
        for (PathWrite w : tables.values()) {
            ContractSelection.of(path, w.schema().get(), w.table()).ifPresent(s -> contracts.add(new TableContract(
                    w.where(), w.schema().get(), w.table(), w.keyColumn().get(), Duration.ZERO, s.condition(),
                    s.agedFrom(), true, s.triggers())));
        }
        return List.copyOf(contracts);
    }

    /** Written for every identity in the signup's own transaction: both tables' counts move in lockstep. */
    public boolean everySignup() {
        return selects.always() && agedFrom.isEmpty();
    }

    /** Whether its rows can be counted one by one: the condition written in SQL. */
    public boolean countable() {
        return selects.translatable();
    }

    /** The identity columns the selection reads, and the one it ages from. */
    public List<String> identityColumns() {
        return new ContractSelection(selects, agedFrom, false, triggers).columns();
    }
}
