package io.ghostwatch.sql;

/** A schema-qualified object name such as {@code auth.users}, each part validated as an {@link Identifier}. */
public record QualifiedName(Identifier schema, Identifier name) {

    /**
     * Parses {@code schema.name}. The schema is required: resolving through {@code search_path} would make the
     * checked table depend on the monitoring role's settings rather than on configuration.
     */
    public static QualifiedName parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a table or function name cannot be empty");
        }
        String[] parts = text.trim().split("\\.", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("'" + text + "' must be schema-qualified as schema.name, e.g. auth.users");
        }
        return new QualifiedName(Identifier.of(parts[0]), Identifier.of(parts[1]));
    }

    /** SQL text, each part quoted: {@code "auth"."users"}. Also the form {@code to_regclass} expects. */
    public String quoted() {
        return schema.quoted() + "." + name.quoted();
    }

    @Override
    public String toString() {
        return schema + "." + name;
    }
}
