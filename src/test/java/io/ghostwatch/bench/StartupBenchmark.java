package io.ghostwatch.bench;

import io.ghostwatch.testing.Ghostwatch;
import io.ghostwatch.testing.Ports;
import io.ghostwatch.testing.TestDatabase;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Not a test: the JVM jar and the native executable side by side in one run, against one database of
 * 1,000,000 identities: wall time and peak RSS of one {@code check}, and time to the first ready
 * {@code /q/health/ready} and RSS of {@code serve}. Peak RSS of {@code check} comes from GNU time
 * ({@code /usr/bin/time -f %M}); {@code serve}'s from {@code VmHWM} after its first runs. README.md says how to run it.
 *
 * <p>Arguments: {@code [identities] [rounds]}; the jar and executable are those {@code ./mvnw package} (with
 * {@code -Dquarkus.native.enabled=true}) left in {@code target/}.
 */
public final class StartupBenchmark {

    private record Mode(String name, List<String> command) {
    }

    private record Result(double checkMs, double checkRssMib, double readyMs, double serveRssMib) {
    }

    private StartupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int identities = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        File jar = new File("target/quarkus-app/quarkus-run.jar");
        File[] runners = new File("target").listFiles((d, n) -> n.endsWith("-runner"));
        if (!jar.isFile() || runners == null || runners.length == 0) {
            throw new IllegalStateException("build both first: ./mvnw package -DskipTests, then with"
                    + " -Dquarkus.native.enabled=true (the native build keeps the jar's target/quarkus-app)");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Mode> modes = List.of(
                new Mode("jvm", List.of(java, "-jar", jar.getAbsolutePath())),
                new Mode("native", List.of(runners[0].getAbsolutePath(), Ghostwatch.NATIVE_HEAP_CAP)));
        try (TestDatabase db = TestDatabase.create("startup_bench")) {
            BenchData.load(db, identities, Math.max(1, identities / 1000), Math.max(1, identities / 5000), 0);
            Map<String, String> env = Map.of("QUARKUS_DATASOURCE_JDBC_URL", db.jdbcUrl(),
                    "QUARKUS_DATASOURCE_USERNAME", db.user(), "QUARKUS_DATASOURCE_PASSWORD", db.password(),
                    "GHOSTWATCH_HISTORY_ENABLED", "false");
            List<Result> results = new ArrayList<>();
            for (Mode mode : modes) {
                run(mode, env, List.of("check")); // warm the database's cache and the file cache once
                List<Double> wall = new ArrayList<>();
                List<Double> rss = new ArrayList<>();
                List<Double> ready = new ArrayList<>();
                List<Double> serveRss = new ArrayList<>();
                for (int i = 0; i < rounds; i++) {
                    double[] check = run(mode, env, List.of("check"));
                    wall.add(check[0]);
                    rss.add(check[1]);
                    double[] serve = serve(mode, env);
                    ready.add(serve[0]);
                    serveRss.add(serve[1]);
                    System.err.printf(Locale.ROOT, "%s round %d: check %.0f ms %.1f MiB, serve ready %.0f ms %.1f MiB%n",
                            mode.name(), i + 1, check[0], check[1], serve[0], serve[1]);
                }
                results.add(new Result(median(wall), median(rss), median(ready), median(serveRss)));
            }
            System.out.printf(Locale.ROOT, "%nidentities %,d, median of %d rounds (native with %s)%n", identities,
                    rounds, Ghostwatch.NATIVE_HEAP_CAP);
            System.out.printf(Locale.ROOT, "%-8s %14s %16s %16s %16s%n", "mode", "check_wall_ms", "check_peak_rss",
                    "serve_ready_ms", "serve_rss_mib");
            for (int i = 0; i < modes.size(); i++) {
                Result r = results.get(i);
                System.out.printf(Locale.ROOT, "%-8s %14.0f %16.1f %16.0f %16.1f%n", modes.get(i).name(), r.checkMs(),
                        r.checkRssMib(), r.readyMs(), r.serveRssMib());
            }
            Result j = results.get(0);
            Result n = results.get(1);
            System.out.printf(Locale.ROOT, "jvm/native: check wall %.1fx, check RSS %.1fx, ready %.1fx, serve RSS %.1fx%n",
                    j.checkMs() / n.checkMs(), j.checkRssMib() / n.checkRssMib(), j.readyMs() / n.readyMs(),
                    j.serveRssMib() / n.serveRssMib());
        }
    }

    /** Wall milliseconds and peak RSS (MiB) of one command, measured by GNU time. */
    private static double[] run(Mode mode, Map<String, String> env, List<String> args) throws Exception {
        Path rss = Files.createTempFile("gw-rss", ".txt");
        List<String> command = new ArrayList<>(List.of("/usr/bin/time", "-f", "%M", "-o", rss.toString()));
        command.addAll(mode.command());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        long start = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(mode.name() + " " + args + " failed (exit " + p.exitValue() + ")");
        }
        double ms = (System.nanoTime() - start) / 1e6;
        double kib = Double.parseDouble(Files.readString(rss).strip().lines().reduce((a, b) -> b).orElseThrow());
        Files.delete(rss);
        return new double[] {ms, kib / 1024};
    }

    /** Milliseconds to the first ready response, and VmHWM (MiB) after the first checks have run. */
    private static double[] serve(Mode mode, Map<String, String> env) throws Exception {
        int port = Ports.free();
        List<String> command = new ArrayList<>(mode.command());
        command.add("serve");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        pb.environment().put("GHOSTWATCH_SCHEDULE", "* * * * * ?");
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build();
        long start = System.nanoTime();
        Process p = pb.start();
        try {
            double readyMs = -1;
            while (readyMs < 0) {
                if (!p.isAlive() || (System.nanoTime() - start) > 60e9) {
                    throw new IllegalStateException(mode.name() + " serve did not become ready");
                }
                try {
                    if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        readyMs = (System.nanoTime() - start) / 1e6;
                    }
                } catch (IOException notYet) {
                    Thread.sleep(10);
                }
            }
            Thread.sleep(5_000); // a few scheduled checks
            double kib = 0;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    kib = Double.parseDouble(line.replaceAll("[^0-9]", ""));
                }
            }
            return new double[] {readyMs, kib / 1024};
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
