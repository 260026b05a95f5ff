package io.ghostwatch.path;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A table the signup path writes, and how: one statement of one function, reached from one trigger.
 *
 * @param trigger   the trigger on the identity table it is reached from
 * @param events    that trigger's events: a write on INSERT makes the row at signup, one on UPDATE later
 * @param via       the functions from the trigger's own to the one that writes, in call order
 * @param verb      {@code INSERT} (with or without ON CONFLICT DO NOTHING), {@code UPSERT} (ON CONFLICT DO
 *                  UPDATE) or {@code UPDATE}
 * @param written   the table as the text names it
 * @param schema    the schema it resolves to (the function's search_path, else {@code public}); empty when no such
 *                  table was found
 * @param keyColumn the column that receives the identity's id, where the text shows it
 * @param condition which identities it reaches: the trigger's WHEN and the function's IFs and early RETURNs
 * @param runsAs    the role the write runs as: the owner of the innermost SECURITY DEFINER function on the way;
 *                  empty when none is, so it runs as whoever signs up
 * @param copies    columns it fills with exactly {@code NEW.<column>} of the identity: written column -> identity
 *                  column (a NULL there goes in as NULL)
 */
public record PathWrite(String trigger, List<String> events, List<String> via, String verb, String written,
                        Optional<String> schema, String table, Optional<String> keyColumn, Condition condition,
                        Optional<String> runsAs, Map<String, String> copies) {

    public PathWrite {
        events = List.copyOf(events);
        via = List.copyOf(via);
        copies = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(copies));
    }

    public PathWrite(String trigger, List<String> events, List<String> via, String verb, String written,
                     Optional<String> schema, String table, Optional<String> keyColumn, Condition condition,
                     Optional<String> runsAs) {
        this(trigger, events, via, verb, written, schema, table, keyColumn, condition, runsAs, Map.of());
    }

    /** {@code schema.table} as found, or the name as written when it was not. */
    public String where() {
        return schema.map(s -> s + "." + table).orElse(written);
    }

    public boolean writes(String schemaName, String tableName) {
        return schema.map(s -> s.equals(schemaName)).orElse(false) && table.equals(tableName);
    }

    /** The row is made at signup (an INSERT trigger), not only by a later update of the identity. */
    public boolean atSignup() {
        return events.contains("INSERT");
    }
}
