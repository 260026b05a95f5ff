package io.ghostwatch.remediate;

import io.ghostwatch.sql.Identifier;

import java.util.ArrayList;
import java.util.List;

/**
 * How a backfill fills a profile row from its identity: {@code profile_column=source} pairs where a source is
 * an identity column, {@code notnull:<column>}, {@code coalesce_now:<column>} or {@code now}. A small grammar
 * instead of raw SQL expressions, so configuration can never smuggle SQL in; every name is an identifier.
 */
public record ColumnMapping(List<Column> columns) {

    /** One target column and the SQL expression (over identity alias {@code i}) that fills it. */
    public record Column(Identifier target, String expression) {
    }

    public ColumnMapping {
        columns = List.copyOf(columns);
    }

    public static ColumnMapping parse(String text, Identifier profileId, Identifier identityId) {
        return parse(text, profileId, identityId, false);
    }

    /**
     * The same for a table keyed by {@code key}: the identity's id goes there whether or not the text says so.
     */
    public static ColumnMapping keyed(String text, Identifier key, Identifier identityId) {
        return parse(text, key, identityId, true);
    }

    private static ColumnMapping parse(String text, Identifier profileId, Identifier identityId, boolean addKey) {
        List<Column> columns = new ArrayList<>();
        boolean hasId = false;
        for (String pair : text.split(",")) {
            String[] kv = pair.trim().split("=", 2);
            if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
                throw new IllegalArgumentException("'" + pair.trim() + "' is not profile_column=source");
            }
            Identifier target = Identifier.of(kv[0].trim());
            String source = kv[1].trim();
            String expression;
            if (source.equals("now")) {
                expression = "now()";
            } else if (source.startsWith("notnull:")) {
                expression = "(i." + Identifier.of(source.substring(8)).quoted() + " IS NOT NULL)";
            } else if (source.startsWith("coalesce_now:")) {
                expression = "COALESCE(i." + Identifier.of(source.substring(13)).quoted() + ", now())";
            } else {
                expression = "i." + Identifier.of(source).quoted();
            }
            if (target.equals(profileId)) {
                hasId = true;
                expression = "i." + identityId.quoted();
            }
            columns.add(new Column(target, expression));
        }
        if (!hasId && addKey) {
            columns.add(0, new Column(profileId, "i." + identityId.quoted()));
        } else if (!hasId) {
            throw new IllegalArgumentException("the mapping must fill the profile's id column (" + profileId + ")");
        }
        return new ColumnMapping(columns);
    }

    public String targetList() {
        return String.join(", ", columns.stream().map(c -> c.target().quoted()).toList());
    }

    public String selectList() {
        return String.join(", ", columns.stream().map(Column::expression).toList());
    }
}
