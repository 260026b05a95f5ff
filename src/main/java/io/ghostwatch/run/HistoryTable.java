package io.ghostwatch.run;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Whether a history table a check reads before the run's own history write exists and may be read: before the
 * history's first migration to it there is nothing kept, which is no error.
 */
final class HistoryTable {

    private static final String READABLE = """
            SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c
                JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
                WHERE n.nspname OPERATOR(pg_catalog.=) ?::name AND c.relname OPERATOR(pg_catalog.=) ?::name
                  AND pg_catalog.has_schema_privilege(n.oid, 'USAGE')
                  AND pg_catalog.has_table_privilege(c.oid, 'SELECT'))
            """;

    private HistoryTable() {
    }

    /**
     * Where a check finds what an earlier one kept: the history schema, one of its tables (qualified, quoted), and
     * this target's rows in it.
     */
    record Where(String schema, String table, String target) {

        /** The history table {@code name} of the configured schema, this target's rows in it. */
        static Where of(io.ghostwatch.config.Settings settings, String name) {
            return new Where(settings.history().schema().name(), settings.history().table(name), settings.target());
        }

        /** The table's own name, for {@link #readable}. */
        boolean readable(Connection c, String name) throws SQLException {
            return HistoryTable.readable(c, schema, name);
        }
    }

    static boolean readable(Connection c, String schema, String table) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(READABLE)) {
            st.setString(1, schema);
            st.setString(2, table);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
