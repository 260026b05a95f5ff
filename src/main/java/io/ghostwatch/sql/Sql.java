package io.ghostwatch.sql;

import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Quoting for names read back from the catalog, which need not be plain identifiers; server errors as one line. */
public final class Sql {

    private Sql() {
    }

    /** Double-quotes any name, doubling embedded quotes, for statements ghostwatch prints for an operator. */
    public static String quoteIdent(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    private static final Pattern TO_REGCLASS = Pattern.compile("(?:pg_catalog\\.)?to_regclass\\(([^()]*)\\)");

    /**
     * {@code sql} with every {@code to_regclass(x)} turned into a lookup by name in the catalog, for {@code x} a
     * {@link QualifiedName#quoted()} text. PostgreSQL's to_regclass raises "permission denied for schema" for a
     * schema the role may not use, and on Supabase the monitor may not use schema auth (only postgres-owned
     * objects that read it for the monitor, sql/supabase.sql); the catalog itself is readable by every role.
     * Like to_regclass, the lookup is NULL when there is no such relation.
     */
    public static String byName(String sql) {
        return TO_REGCLASS.matcher(sql).replaceAll(m -> Matcher.quoteReplacement(relationOid(m.group(1))));
    }

    private static String relationOid(String quotedName) {
        String part = "pg_catalog.replace(%s, '\"', '\"\"')";
        return "(SELECT rc.oid FROM pg_catalog.pg_class rc JOIN pg_catalog.pg_namespace rn"
                + " ON rn.oid OPERATOR(pg_catalog.=) rc.relnamespace"
                + " WHERE '\"' OPERATOR(pg_catalog.||) " + part.formatted("rn.nspname::text")
                + " OPERATOR(pg_catalog.||) '\".\"' OPERATOR(pg_catalog.||) " + part.formatted("rc.relname::text")
                + " OPERATOR(pg_catalog.||) '\"' OPERATOR(pg_catalog.=) (" + quotedName + ")::text)";
    }

    /** The server's message without its "ERROR:" prefix and the DETAIL/HINT lines after it. */
    public static String firstLine(SQLException e) {
        return String.valueOf(e.getMessage()).lines().findFirst().orElse("").replaceFirst("^ERROR:\\s*", "");
    }
}
