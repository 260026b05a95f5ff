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
 * loopback port. {@code .ci/run} installs them (packages {@code prometheus}, {@code prometheus-pushgateway}).
 */
public final class PrometheusTools {

    private PrometheusTools() {
    }

    static String binary(String name, String debianPackage) {
        for (String dir : List.of("/usr/bin", "/usr/local/bin")) {
            File f = new File(dir, name);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        throw new IllegalStateException(name + " is not installed: apt-get install " + debianPackage
                + " (.ci/run installs it)");
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

    /** A Pushgateway of its own: no persistence, loopback only, stopped on close. */
    public static final class Pushgateway implements AutoCloseable {
        private final Process process;
        private final int port;

        private Pushgateway(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        public static Pushgateway start() {
            int port = Ports.free();
            try {
                Process p = new ProcessBuilder(binary("prometheus-pushgateway", "prometheus-pushgateway"),
                        "--web.listen-address=127.0.0.1:" + port)
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                Pushgateway gateway = new Pushgateway(p, port);
                Eventually.await("the Pushgateway on port " + port, Duration.ofSeconds(20),
                        () -> Http.get(gateway.url() + "/-/ready").status(), status -> status == 200);
                return gateway;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        public String url() {
            return "http://127.0.0.1:" + port;
        }

        public String metrics() {
            return Http.get(url() + "/metrics").body();
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
