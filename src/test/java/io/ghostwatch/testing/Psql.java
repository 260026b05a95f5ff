package io.ghostwatch.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** Runs psql against a test database as a given role, as a user runs the project's SQL scripts. */
public final class Psql {

    private Psql() {
    }

    /** Runs psql with {@code args} (e.g. {@code -f sql/x.sql}); returns its output; fails the test unless it exits 0. */
    public static String run(TestDatabase db, String user, String... args) {
        Properties p = org.postgresql.Driver.parseURL(db.jdbcUrl(), new Properties());
        List<String> command = new ArrayList<>(List.of("psql", "-X", "-q", "-h", p.getProperty("PGHOST"),
                "-p", p.getProperty("PGPORT"), "-U", user, "-d", db.name()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", db.password());
        try {
            Process process = pb.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError("psql " + String.join(" ", args) + " failed:\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run psql", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
