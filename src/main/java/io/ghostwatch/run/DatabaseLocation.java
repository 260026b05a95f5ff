package io.ghostwatch.run;

import org.postgresql.Driver;

import java.util.Optional;
import java.util.Properties;

/**
 * Where the datasource points, for error messages: host, port, database and user, never the password (a JDBC
 * URL may carry one, so the URL itself is never printed).
 */
public record DatabaseLocation(String hostAndPort, String database, String user) {

    public static DatabaseLocation of(String jdbcUrl, Optional<String> username) {
        Properties p = jdbcUrl == null ? null : Driver.parseURL(jdbcUrl, new Properties());
        if (p == null) {
            return new DatabaseLocation("(unparsable JDBC URL)", "?", username.orElse("?"));
        }
        String hosts = p.getProperty("PGHOST", "localhost");
        String ports = p.getProperty("PGPORT", "5432");
        String[] h = hosts.split(",");
        String[] po = ports.split(",");
        StringBuilder hp = new StringBuilder();
        for (int i = 0; i < h.length; i++) {
            if (i > 0) {
                hp.append(',');
            }
            hp.append(h[i]).append(':').append(po[Math.min(i, po.length - 1)]);
        }
        String user = username.or(() -> Optional.ofNullable(p.getProperty("user"))).orElse("(driver default)");
        return new DatabaseLocation(hp.toString(), p.getProperty("PGDBNAME", "?"), user);
    }

    @Override
    public String toString() {
        return hostAndPort + "/" + database;
    }
}
