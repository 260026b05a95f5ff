package io.ghostwatch.soak;

import io.ghostwatch.testing.Eventually;
import io.ghostwatch.testing.Exposition;
import io.ghostwatch.testing.Ghostwatch;
import io.ghostwatch.testing.Http;
import io.ghostwatch.testing.Ports;
import io.ghostwatch.testing.PrivateCluster;
import io.ghostwatch.testing.RepoFiles;
import io.ghostwatch.testing.SupabaseFixture;
import io.ghostwatch.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code serve} on a one-second schedule for minutes against a database of the test's own that is restarted
 * halfway: memory and file descriptors stay flat, every run that reached the database is in the history,
 * and {@code up} comes back to 1. Runs against the native executable (CI's native suite) or when asked for
 * with {@code -Dghostwatch.soak=true}; {@code -Dghostwatch.soak.seconds} sets its length (default 150).
 */
class SoakIT {

    /** Resident memory may grow by at most this much per minute once warm (a leak of one run's objects shows). */
    static final double MAX_RSS_SLOPE_MIB_PER_MINUTE = 1.0;
    /** Open descriptors after the restart may exceed those before it by at most this (a pool refilling). */
    static final int MAX_EXTRA_FDS = 3;

    private record Sample(double seconds, double rssMib, int fds) {
    }

    @Test
    void serveStaysFlatThroughADatabaseRestart() throws Exception {
        assumeTrue(Ghostwatch.isNative() || Boolean.getBoolean("ghostwatch.soak")
                        || Boolean.getBoolean("ghostwatch.slow"),
                "the soak runs in the native suite, or with -Dghostwatch.soak=true (or ghostwatch.slow)");
        int seconds = Integer.getInteger("ghostwatch.soak.seconds", 150);
        try (PrivateCluster cluster = PrivateCluster.start()) {
            TestDatabase db = TestDatabase.createOn(cluster.adminUrl(), "postgres", "", "soak");
            SupabaseFixture fixture = SupabaseFixture.install(db);
            fixture.users(50, Duration.ofDays(1));
            fixture.ghosts(2, Duration.ofMinutes(5));
            int port = Ports.free();
            List<Sample> samples = new ArrayList<>();
            try (Ghostwatch.Running serve = Ghostwatch.against(db).env("GHOSTWATCH_TARGET", "soak")
                    .env("GHOSTWATCH_SCHEDULE", "* * * * * ?").env("QUARKUS_HTTP_PORT", Integer.toString(port))
                    .start("serve")) {
                long start = System.nanoTime();
                double restartAt = seconds / 2.0;
                boolean restarted = false;
                double beforeRestartFds = 0;
                while (elapsed(start) < seconds) {
                    Thread.sleep(2_000);
                    assertThat(serve.isAlive()).as(serve.output()).isTrue();
                    Sample s = sample(serve.pid(), elapsed(start));
                    samples.add(s);
                    if (!restarted && s.seconds() >= restartAt) {
                        beforeRestartFds = s.fds();
                        cluster.stopServer();
                        Thread.sleep(5_000);
                        cluster.startServer();
                        restarted = true;
                    }
                }
                Map<String, Double> metrics = Eventually.await("up back to 1 after the restart\n" + serve.output(),
                        Duration.ofSeconds(30), () -> Exposition.samples(Http.get("http://127.0.0.1:" + port
                                + "/q/metrics").body(), "target", "soak"),
                        m -> Double.valueOf(1.0).equals(m.get("ghostwatch_up")));
                assertThat(metrics.get("ghostwatch_ghost_users")).isEqualTo(2.0);

                String log = serve.output();
                long checked = log.lines().filter(l -> l.contains("target soak: priority")).count();
                long failed = log.lines().filter(l -> l.contains("target soak: cannot check")).count();
                long recorded = db.queryLong("SELECT count(*) FROM ghostwatch.check_runs WHERE outcome = 'checked'");
                report(samples, checked, failed, recorded);

                assertThat(failed).as("the restart was seen as failed runs").isPositive();
                assertThat(checked).as("about one checked run per second").isGreaterThan((long) (seconds * 0.6));
                // Every run that reached the database is in the history (the last one may still be recording).
                assertThat(recorded).isBetween(checked - 1, checked);
                List<Sample> warm = samples.stream().filter(x -> x.seconds() >= 30).toList();
                assertThat(slopeMibPerMinute(warm)).as("RSS slope once warm, MiB/min")
                        .isLessThanOrEqualTo(MAX_RSS_SLOPE_MIB_PER_MINUTE);
                if (Ghostwatch.isNative()) {
                    // The chart's limit is what the pod gets: the native serve must stay well inside it.
                    double limitMib = Double.parseDouble(RepoFiles.yaml("helm/ghostwatch/values.yaml")
                            .at("/resources/limits/memory").asText().replace("Mi", ""));
                    assertThat(samples.stream().mapToDouble(Sample::rssMib).max().orElseThrow())
                            .as("peak RSS against the chart's limit of %s MiB", limitMib)
                            .isLessThan(limitMib * 0.75);
                }
                int fdsAtEnd = samples.get(samples.size() - 1).fds();
                assertThat(fdsAtEnd).as("open descriptors after the restart").isLessThanOrEqualTo(
                        (int) beforeRestartFds + MAX_EXTRA_FDS);
            } finally {
                db.close();
            }
        }
    }

    private static double elapsed(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static Sample sample(long pid, double seconds) throws IOException {
        double rssKib = 0;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                rssKib = Double.parseDouble(line.replaceAll("[^0-9]", ""));
            }
        }
        int fds;
        try (Stream<Path> open = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            fds = (int) open.count();
        }
        return new Sample(seconds, rssKib / 1024, fds);
    }

    /** Least-squares slope of RSS over time. */
    static double slopeMibPerMinute(List<Sample> samples) {
        double n = samples.size();
        double mx = samples.stream().mapToDouble(Sample::seconds).average().orElse(0);
        double my = samples.stream().mapToDouble(Sample::rssMib).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        for (Sample s : samples) {
            sxy += (s.seconds() - mx) * (s.rssMib() - my);
            sxx += (s.seconds() - mx) * (s.seconds() - mx);
        }
        return n < 2 || sxx == 0 ? 0 : 60 * sxy / sxx;
    }

    private static void report(List<Sample> samples, long checked, long failed, long recorded) {
        StringBuilder out = new StringBuilder("soak (" + (Ghostwatch.isNative() ? "native" : "JVM") + "):"
                + " seconds, RSS MiB, open fds\n");
        samples.forEach(s -> out.append(String.format("  %6.1f %7.1f %4d%n", s.seconds(), s.rssMib(), s.fds())));
        out.append(String.format("checked runs %d, failed runs %d, recorded %d, RSS slope once warm %.2f MiB/min%n",
                checked, failed, recorded, slopeMibPerMinute(samples.stream().filter(x -> x.seconds() >= 30)
                        .toList())));
        System.out.print(out);
    }
}
