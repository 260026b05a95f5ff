package io.ghostwatch.history;

import java.sql.SQLException;
import java.util.Locale;

/** Names the grant a history failure needs, so the fix is one statement away. */
public final class HistoryErrors {

    private HistoryErrors() {
    }

    public static String explain(Throwable failure, HistorySettings settings, String action) {
        SQLException sql = null;
        for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLException s && s.getSQLState() != null) {
                sql = s;
                break;
            }
        }
        String schema = settings.schema().quoted();
        String message = sql == null ? rootMessage(failure) : sql.getMessage().lines().findFirst().orElse("");
        String lower = message.toLowerCase(Locale.ROOT);
        String prefix = "cannot " + action + " the history in schema " + settings.schema() + ": ";
        if (sql != null && "42501".equals(sql.getSQLState())) {
            if (lower.contains("for database")) {
                return prefix + "the role may not create schemas; run GRANT CREATE ON DATABASE <db> TO <role>,"
                        + " or create it for the role: CREATE SCHEMA " + schema + " AUTHORIZATION <role>"
                        + " (or set ghostwatch.history.enabled=false)";
            }
            if (lower.contains("for schema")) {
                return prefix + "run GRANT USAGE, CREATE ON SCHEMA " + schema + " TO <role>";
            }
            return prefix + "run GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + schema
                    + " TO <role> (" + message.replaceFirst("^ERROR:\\s*", "") + ")";
        }
        if (sql != null && "25006".equals(sql.getSQLState())) {
            return prefix + "the database is read-only (a standby?); point ghostwatch at the primary or set"
                    + " ghostwatch.history.enabled=false";
        }
        return prefix + message.replaceFirst("^ERROR:\\s*", "");
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage()).lines().findFirst().orElse("");
    }
}
