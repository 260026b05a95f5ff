package io.ghostwatch.history;

import io.ghostwatch.sql.Identifier;

import java.time.Duration;

/**
 * Validated history settings: whether runs are recorded, in which schema, and for how long: runs and the outbox
 * for {@code retention}, finished fixes' audit for {@code auditRetention}.
 */
public record HistorySettings(boolean enabled, Identifier schema, Duration retention, Duration auditRetention) {

    /** A table of the history schema, quoted for SQL text. */
    public String table(String name) {
        return schema.quoted() + "." + Identifier.of(name).quoted();
    }
}
