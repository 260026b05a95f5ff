package io.ghostwatch.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The server programs tests start themselves (initdb, pg_ctl, pgbouncer): run to completion, or fail saying why. */
final class Commands {

    private Commands() {
    }

    /** Whether the tests run as root, where PostgreSQL's tools and PgBouncer refuse to: they run as postgres. */
    static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** {@code command}, as the {@code postgres} OS user when the tests run as root. */
    static List<String> asPostgres(List<String> command) {
        List<String> full = new ArrayList<>();
        if (asRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        return full;
    }

    /** Runs it and waits (two minutes at most); its output goes into the exception when it fails. */
    static void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
