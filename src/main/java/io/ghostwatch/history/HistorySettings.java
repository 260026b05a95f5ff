package io.ghostwatch.history;

import io.ghostwatch.sql.Identifier;

import java.time.Duration;

/** Validated history settings: whether runs are recorded, in which schema, and for how long. */
public record HistorySettings(boolean enabled, Identifier schema, Duration retention) {

    /** A table of the history schema, quoted for SQL text. */
    public String table(String name) {
        return schema.quoted() + "." + Identifier.of(name).quoted();
    }
}
