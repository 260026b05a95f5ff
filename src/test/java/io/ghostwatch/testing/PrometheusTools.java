package io.ghostwatch.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Prometheus tools, real processes: {@code promtool} and a {@code prometheus-pushgateway} on a free
 * loopback port. Classes that run them say so with {@link RequiresTools}; README's Development section has the
 * install line (packages {@code prometheus}, {@code prometheus-pushgateway}, {@code prometheus-alertmanager}).
 */
public final class PrometheusTools {

    private PrometheusTools() {
    }

    /** Where the executable is installed, if it is. */
    static java.util.Optional<String> find(String name) {
        for (String dir : List.of("/usr/bin", "/usr/local/bin", "/usr/sbin")) {
            File f = new File(dir, name);
            if (f.canExecute()) {
                return java.util.Optional.of(f.getPath());
            }
        }
        return java.util.Optional.empty();
    }

    static String binary(String name, String debianPackage) {
        return find(name).orElseThrow(() -> new IllegalStateException(name + " is not installed: apt-get install "
                + debianPackage + " (README: Development)"));
    }

    /** {@code promtool} run with stdin; returns exit code and everything it printed. */
    public static Ghostwatch.Result promtool(String stdin, String... args) {
        return tool(binary("promtool", "prometheus"), stdin, args);
    }

    /** {@code amtool}, offline (config checks and route tests). */
    public static Ghostwatch.Result amtool(String... args) {
        return tool(binary("amtool", "prometheus-alertmanager"), null, args);
    }

    private static Ghostwatch.Result tool(String binary, String stdin, String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary);
        command.addAll(List.of(args));
        try {
            Path in = Files.createTempFile("promtool-in", ".txt");
            Files.writeString(in, stdin == null ? "" : stdin, StandardCharsets.UTF_8);
            Path out = Files.createTempFile("promtool-out", ".txt");
            Process p = new ProcessBuilder(command).redirectInput(in.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(binary + " did not finish");
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
            return new Ghostwatch.Result(p.exitValue(), output, "");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A Prometheus-family server of the test's own: loopback port, temp data dir, stopped (and its dir removed)
     * on close. Ready when its {@code /-/ready} answers 200.
     */
    public static final class Daemon implements AutoCloseable {
        private final Process process;
        private final int port;
        private final Path dir;
        private final Path log;

        private Daemon(Process process, int port, Path dir, Path log) {
            this.process = process;
            this.port = port;
            this.dir = dir;
            this.log = log;
        }

        /** Starts {@code binary} with its arguments; {@code {port}} and {@code {dir}} in them are filled in. */
        public static Daemon start(String binary, String debianPackage, String... args) {
            int port = Ports.free();
            try {
                Path dir = Files.createTempDirectory("gw-" + binary);
                Path log = dir.resolve("out.log");
                List<String> command = new ArrayList<>();
                command.add(binary(binary, debianPackage));
                for (String a : args) {
                    command.add(a.replace("{port}", Integer.toString(port)).replace("{dir}", dir.toString()));
                }
                Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                        .start();
                Daemon d = new Daemon(p, port, dir, log);
                try {
                    Eventually.await(binary + " on port " + port, Duration.ofSeconds(30),
                            () -> p.isAlive() ? Http.get(d.url() + "/-/ready").status() : -2,
                            status -> status == 200 || status == -2);
                } catch (AssertionError e) {
                    d.close();
                    throw e;
                }
                if (!p.isAlive()) {
                    String out = d.output();
                    d.close();
                    throw new IllegalStateException(binary + " exited at start:\n" + out);
                }
                return d;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        public String url() {
            return "http://127.0.0.1:" + port;
        }

        public int port() {
            return port;
        }

        public Path dir() {
            return dir;
        }

        public String output() {
            try {
                return Files.readString(log, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException ignored) {
                // a temp dir
            }
        }
    }

    /** A Pushgateway of its own: no persistence, loopback only, stopped on close. */
    public static final class Pushgateway implements AutoCloseable {
        private final Daemon daemon;

        private Pushgateway(Daemon daemon) {
            this.daemon = daemon;
        }

        public static Pushgateway start() {
            // An empty persistence file: Debian's build otherwise loads (and writes back) the series of every
            // earlier run from /var/lib/prometheus/pushgateway.data, and tests would share state through it.
            return new Pushgateway(Daemon.start("prometheus-pushgateway", "prometheus-pushgateway",
                    "--web.listen-address=127.0.0.1:{port}", "--persistence.file="));
        }

        public String url() {
            return daemon.url();
        }

        public int port() {
            return daemon.port();
        }

        public String metrics() {
            return Http.get(url() + "/metrics").body();
        }

        @Override
        public void close() {
            daemon.close();
        }
    }
}
