package io.ghostwatch.sql;

/** Quoting for names read back from the catalog, which need not be plain identifiers. */
public final class Sql {

    private Sql() {
    }

    /** Double-quotes any name, doubling embedded quotes, for statements ghostwatch prints for an operator. */
    public static String quoteIdent(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }
}
