package io.ghostwatch.remediate;

import io.ghostwatch.config.Settings;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Each write transaction of a fix starts here: short lock and statement timeouts, local to it. */
final class Transactions {

    private Transactions() {
    }

    static void begin(Connection c, Settings settings) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement st = c.prepareStatement(
                "SELECT set_config('lock_timeout', ?, true), set_config('statement_timeout', ?, true)")) {
            st.setString(1, settings.remediation().lockTimeout().toMillis() + "ms");
            st.setString(2, settings.remediation().statementTimeout().toMillis() + "ms");
            st.execute();
        }
    }
}
