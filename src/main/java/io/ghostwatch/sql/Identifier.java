package io.ghostwatch.sql;

import java.util.regex.Pattern;

/**
 * A PostgreSQL identifier taken from configuration.
 *
 * <p>Only plain identifiers are accepted (letters, digits, {@code _}, {@code $}, not starting with a digit,
 * at most 63 bytes, PostgreSQL's NAMEDATALEN limit) and they are always emitted quoted. Quoting alone would make
 * {@code users; drop table x} a harmless (if odd) name; refusing it as well turns a pasted mistake into a clear
 * configuration error instead of a "table does not exist" at 2 AM.
 */
public record Identifier(String name) {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");
    private static final int MAX_LENGTH = 63;

    public Identifier {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("an SQL identifier cannot be empty");
        }
        if (name.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("'" + name + "' is longer than PostgreSQL's 63-character identifier limit");
        }
        if (!PLAIN.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a plain SQL identifier"
                    + " (letters, digits, _ and $, not starting with a digit)");
        }
    }

    public static Identifier of(String name) {
        return new Identifier(name);
    }

    /** The identifier as it appears in SQL text: always double-quoted, embedded quotes doubled. */
    public String quoted() {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    @Override
    public String toString() {
        return name;
    }
}
