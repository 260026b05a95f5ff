package io.ghostwatch.path;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which identities the signup path gives a row in one table: the contract "every identity the condition selects
 * has a row in T". Read from the path's INSERTs and upserts into T: made at signup for every identity (the
 * runbook's pair), at signup only for some (guests skipped), or only when an identity is updated into a state
 * (the first e-mail confirmation). Identities outside it lack the row by design, not by incident.
 *
 * @param condition which identities; {@link Condition#ALWAYS} for every one
 * @param agedFrom  the identity column a missing row is aged from, when the row is made at a later moment than
 *                  the signup (e.g. {@code email_confirmed_at}); empty: the identity's creation time
 * @param onUpdate  some of the rows are made by an UPDATE trigger (e.g. on confirmation), not at signup
 * @param triggers  the triggers whose functions write it, for reports
 */
public record ContractSelection(Condition condition, Optional<String> agedFrom, boolean onUpdate,
                                List<String> triggers) {

    private static final Pattern NOT_NULL = Pattern.compile("^\\(\\{i}\\.\"((?:[^\"]|\"\")+)\" IS NOT NULL\\)$");

    public ContractSelection {
        triggers = List.copyOf(triggers);
    }

    /** What the path says of {@code schema.table}; empty when no trigger's function writes it. */
    public static Optional<ContractSelection> of(SignupPath path, String schema, String table) {
        List<PathWrite> rows = path.writesTo(schema, table).stream()
                .filter(w -> !w.verb().equals("UPDATE"))   // an UPDATE of the row makes no row
                .filter(w -> w.events().contains("INSERT") || w.events().contains("UPDATE"))
                .toList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Condition condition = Condition.anyOf(rows.stream().map(PathWrite::condition).toList());
        Optional<String> agedFrom = Optional.empty();
        if (condition.translatable() && !condition.always()) {
            agedFrom = sameNotNullColumn(rows);
        }
        return Optional.of(new ContractSelection(condition, agedFrom, rows.stream().anyMatch(w -> !w.atSignup()),
                rows.stream().map(PathWrite::trigger).distinct().toList()));
    }

    /**
     * A contract the path had when last seen, read again from its own words ({@code selects}) against the identity
     * table's columns now: only what {@link PredicateReader} can translate becomes SQL, so a stored text cannot
     * smuggle any in.
     */
    public static ContractSelection remembered(String selects, Optional<String> agedFrom, boolean onUpdate,
                                               List<String> triggers, java.util.Set<String> columns) {
        Condition c = PredicateReader.translate(PathText.tokens(selects), columns, false);
        return new ContractSelection(new Condition(selects, c.sql(), c.untranslatable()),
                agedFrom.filter(columns::contains), onUpdate, triggers);
    }

    /** The column every write waits for ({@code col IS NOT NULL}), when they all wait for the same one. */
    private static Optional<String> sameNotNullColumn(List<PathWrite> rows) {
        String column = null;
        for (PathWrite w : rows) {
            Matcher m = NOT_NULL.matcher(w.condition().sql().orElse(""));
            if (!m.matches()) {
                return Optional.empty();
            }
            String c = m.group(1).replace("\"\"", "\"");
            if (column != null && !column.equals(c)) {
                return Optional.empty();
            }
            column = c;
        }
        return Optional.ofNullable(column);
    }

    /** The identity columns the condition reads (to check that the monitor may read them). */
    public List<String> columns() {
        Matcher m = Pattern.compile("\\{i}\\.\"((?:[^\"]|\"\")+)\"").matcher(condition.sql().orElse(""));
        List<String> columns = new java.util.ArrayList<>();
        while (m.find()) {
            String c = m.group(1).replace("\"\"", "\"");
            if (!columns.contains(c)) {
                columns.add(c);
            }
        }
        agedFrom.filter(c -> !columns.contains(c)).ifPresent(columns::add);
        return columns;
    }
}
