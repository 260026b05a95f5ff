package io.ghostwatch.run;

import io.ghostwatch.config.Settings;
import io.ghostwatch.judge.Durations;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;

/**
 * Turns a JDBC failure into one line that names the cause and the fix, the way an on-call engineer needs it at
 * 2 AM: which setting, which grant, which host.
 */
public final class DatabaseErrors {

    private DatabaseErrors() {
    }

    public static String explain(Throwable failure, DatabaseLocation where, Settings settings) {
        String url = "QUARKUS_DATASOURCE_JDBC_URL";
        Throwable network = find(failure, UnknownHostException.class, ConnectException.class,
                NoRouteToHostException.class, SocketTimeoutException.class, EOFException.class);
        if (network instanceof UnknownHostException) {
            return "cannot resolve database host of " + where + ": check the host in " + url;
        }
        if (network instanceof ConnectException || network instanceof NoRouteToHostException) {
            return "cannot reach PostgreSQL at " + where.hostAndPort() + " (" + network.getMessage()
                    + "): check " + url + " and that the server is running and reachable";
        }
        if (network instanceof SocketTimeoutException) {
            return "PostgreSQL at " + where.hostAndPort() + " stopped answering (" + network.getMessage()
                    + "): check the network path (NetworkPolicy, firewall) and the server's health";
        }
        SQLException sql = firstWithState(failure);
        String state = sql == null ? "" : sql.getSQLState();
        String server = sql == null ? rootMessage(failure) : serverMessage(sql);
        return switch (state) {
            case "28P01" -> "authentication failed for user '" + where.user() + "' on " + where
                    + ": check QUARKUS_DATASOURCE_USERNAME and QUARKUS_DATASOURCE_PASSWORD";
            case "28000" -> "PostgreSQL at " + where + " refused user '" + where.user() + "' (" + server
                    + "): check pg_hba.conf and QUARKUS_DATASOURCE_USERNAME";
            case "3D000" -> "database '" + where.database() + "' does not exist on " + where.hostAndPort()
                    + ": check the database name in " + url;
            case "42501" -> "permission denied (" + server + "): grant the monitoring role USAGE on the schemas"
                    + " and SELECT on the identity and profile tables (README: least privilege)";
            case "57014" -> "the check was cancelled after ghostwatch.statement-timeout ("
                    + Durations.human(settings.statementTimeout()) + "): raise it, or look for what slows the"
                    + " tables down";
            case "55P03" -> "could not lock the tables within ghostwatch.lock-timeout ("
                    + Durations.human(settings.lockTimeout()) + "): DDL is holding them; retry, or raise it";
            case "53300" -> "PostgreSQL at " + where.hostAndPort() + " has no free connection slots (" + server
                    + ")";
            case "57P01", "57P02", "57P03" -> "PostgreSQL at " + where.hostAndPort()
                    + " ended the session (" + server + "): the server is restarting or an administrator"
                    + " terminated it; retry when it is up";
            default -> {
                if (state.startsWith("08") || find(failure, java.io.IOException.class) != null) {
                    yield "lost the connection to PostgreSQL at " + where.hostAndPort() + " during the check ("
                            + server + ")";
                }
                if (server.toLowerCase().contains("acquisition timeout")) {
                    yield "no connection to PostgreSQL at " + where.hostAndPort()
                            + " within quarkus.datasource.jdbc.acquisition-timeout: check " + url
                            + " and the network path";
                }
                yield "database error" + (state.isEmpty() ? "" : " (SQLSTATE " + state + ")") + ": " + server;
            }
        };
    }

    @SafeVarargs
    private static Throwable find(Throwable t, Class<? extends Throwable>... types) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            for (Class<? extends Throwable> type : types) {
                if (type.isInstance(c)) {
                    return c;
                }
            }
        }
        return null;
    }

    private static SQLException firstWithState(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLException s && s.getSQLState() != null) {
                return s;
            }
        }
        return null;
    }

    /**
     * The server's own words without the driver's position and hint decorations, and never its DETAIL: for a
     * constraint violation that is "Failing row contains (…)", the row's values, e-mails among them. The
     * constraint and the table are named instead.
     */
    private static String serverMessage(SQLException e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof PSQLException p && p.getServerErrorMessage() != null
                    && p.getServerErrorMessage().getMessage() != null) {
                ServerErrorMessage m = p.getServerErrorMessage();
                String table = m.getTable() == null ? "" : " on table "
                        + (m.getSchema() == null ? "" : m.getSchema() + ".") + m.getTable();
                return oneLine(m.getMessage())
                        + (m.getConstraint() == null ? "" : " (constraint " + m.getConstraint() + table + ")");
            }
        }
        return oneLine(withoutDetail(e.getMessage()));
    }

    /** The driver's message text without its Detail line (row values) or anything after it. */
    static String withoutDetail(String message) {
        if (message == null) {
            return null;
        }
        int detail = message.indexOf("\n  Detail:");
        return detail < 0 ? message : message.substring(0, detail);
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return oneLine(root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage());
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
