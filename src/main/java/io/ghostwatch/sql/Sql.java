package io.ghostwatch.sql;

import java.sql.SQLException;

/** Quoting for names read back from the catalog, which need not be plain identifiers; server errors as one line. */
public final class Sql {

    private Sql() {
    }

    /** Double-quotes any name, doubling embedded quotes, for statements ghostwatch prints for an operator. */
    public static String quoteIdent(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** The server's message without its "ERROR:" prefix and the DETAIL/HINT lines after it. */
    public static String firstLine(SQLException e) {
        return String.valueOf(e.getMessage()).lines().findFirst().orElse("").replaceFirst("^ERROR:\\s*", "");
    }
}
