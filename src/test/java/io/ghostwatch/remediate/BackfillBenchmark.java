package io.ghostwatch.remediate;

import io.ghostwatch.bench.BenchData;
import io.ghostwatch.config.GhostwatchConfig;
import io.ghostwatch.config.Settings;
import io.ghostwatch.snapshot.SnapshotReader;
import io.ghostwatch.snapshot.SnapshotRequest;
import io.ghostwatch.snapshot.Unmatched;
import io.ghostwatch.testing.TestDatabase;
import io.ghostwatch.throttle.CommitProbe;
import io.ghostwatch.throttle.StopRequest;
import io.ghostwatch.throttle.Throttle;
import io.ghostwatch.throttle.ThrottleSettings;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.postgresql.Driver;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Not a test: the backfill of 100,000 ghosts in a 1,000,000-identity database, with the real batch code and
 * throttle, and the latency of live signups (single-row identity inserts whose trigger writes the profile, from
 * a process of their own: {@link SignupLoad}) measured without and during the backfill, side by side in one run,
 * for fixed batches, unthrottled, the adaptive default (its commit probe included) and {@code --max-rate}.
 * The ghosts are profiles that were never written (a disabled trigger's), so the profile table has no holes for
 * the backfill to fill; every round starts after a checkpoint. README.md says how to run it.
 *
 * <p>Arguments: {@code [identities] [ghosts] [quiet signups per round] [batch size] [max rate] [modes] [rounds]}
 * (modes: words of their names, comma-separated, e.g. {@code unthrottled,adaptive}; "" for all; rounds per mode,
 * 3 by default). Server: {@code GHOSTWATCH_TEST_JDBC_URL}.
 */
public final class BackfillBenchmark {

    private BackfillBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int identities = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
        int ghosts = args.length > 1 ? Integer.parseInt(args[1].replace("_", "")) : 100_000;
        int quietSignups = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        double maxRate = args.length > 4 ? Double.parseDouble(args[4]) : 20_000;
        Settings settings = Settings.from(new SmallRyeConfigBuilder().withMapping(GhostwatchConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withDefaultValues(args.length > 3 ? Map.of("ghostwatch.remediate.batch-size", args[3]) : Map.of())
                .build().getConfigMapping(GhostwatchConfig.class));

        try (TestDatabase db = TestDatabase.create("backfill_bench")) {
            BenchData.load(db, identities, ghosts, 0, 0);
            compact(db);
            for (String migration : List.of("db/migration/V1__history_and_outbox.sql",
                    "db/migration/V2__remediation_audit.sql", "db/migration/V4__interrupted_fixes_and_lighter_audit.sql")) {
                db.execute("CREATE SCHEMA IF NOT EXISTS ghostwatch", "SET search_path = ghostwatch; "
                        + new String(BackfillBenchmark.class.getClassLoader().getResourceAsStream(migration)
                        .readAllBytes(), StandardCharsets.UTF_8));
            }

            // What a run does first: the schema's detected parts (no read-through view, no deleted_at here).
            Settings resolved;
            try (java.sql.Connection c = db.connect()) {
                resolved = settings.withSchema(settings.schema().resolved(c));
            }
            try (Signups live = Signups.start(db)) {
                run(db, resolved, live, ghosts, identities, quietSignups, maxRate, args.length > 5 ? args[5] : "",
                        args.length > 6 ? Integer.parseInt(args[6]) : ROUNDS);
            }
        }
    }

    private static void run(TestDatabase db, Settings settings, Signups live, int ghosts, int identities,
                            int quietSignups, double maxRate, String only, int rounds) throws Exception {
        int fixed = settings.remediation().batchSize();
        Duration t = ThrottleSettings.DEFAULT_BATCH_TIME;
        int min = ThrottleSettings.MIN_BATCH;
        int max = ThrottleSettings.MAX_BATCH;
        List<Mode> modes = List.of(
                new Mode("fixed " + fixed + "-row batches", ThrottleSettings.fixed(fixed)),
                new Mode("unthrottled (--max-load 0)", new ThrottleSettings(t, fixed, min, max,
                        OptionalDouble.empty(), Duration.ZERO, Optional.empty(), 0)),
                new Mode("adaptive (default: --max-load 1.5)", new ThrottleSettings(t, fixed, min, max,
                        OptionalDouble.empty(), Duration.ZERO, Optional.empty(),
                        ThrottleSettings.DEFAULT_MAX_LOAD)),
                new Mode(String.format(Locale.ROOT, "--max-rate %.0f", maxRate), new ThrottleSettings(t, fixed,
                        min, max, OptionalDouble.of(maxRate), Duration.ZERO, Optional.empty(), 0)))
                .stream().filter(m -> only.isEmpty() || Arrays.stream(only.split(","))
                        .anyMatch(word -> m.name().contains(word))).toList();
        double readSeconds = readSeconds(db, settings);
        // Quiet windows before every round, pooled: the machine's own drift over the run lands on both sides.
        List<Double> quiet = new ArrayList<>();
        List<String> rowsOut = new ArrayList<>();
        List<List<Double>> duringByMode = new ArrayList<>();
        long window = quietSignups * 1000L / SIGNUPS_PER_SECOND;
        // What the adaptive mode's probe costs the signups by itself (100 flushed commits a second, no batches).
        List<Double> probeAlone = new ArrayList<>();
        if (modes.stream().anyMatch(m -> m.throttle().maxLoad() > 0)) {
            db.execute("CHECKPOINT");
            quiet.addAll(live.during(() -> Thread.sleep(window)));
            try (CommitProbe probe = CommitProbe.start(db::connect, ThrottleSettings.DEFAULT_MAX_LOAD)) {
                probeAlone.addAll(live.during(() -> Thread.sleep(window)));
            }
        }
        for (Mode mode : modes) {
            // Rounds pooled: a p99 of one short run is its handful of worst signups, mostly noise.
            List<Double> during = new ArrayList<>();
            long rows = 0;
            double seconds = 0;
            for (int round = 0; round < rounds; round++) {
                db.execute("CHECKPOINT");
                List<Double> before = live.during(() -> Thread.sleep(window));
                quiet.addAll(before);
                Round r = measure(db, settings, live, mode, ghosts);
                // One round's ratio against the window just before it: the spread the pooled figure hides.
                double p99 = percentile(r.latencies(), 99);
                double quietP99 = percentile(before, 99);
                System.out.printf(Locale.ROOT, "%s, round %d: %,.0f rows/s, signup p99 %.2f ms against %.2f ms"
                        + " just before (%.2fx)%n", mode.name(), round + 1, r.rows() / r.seconds(), p99, quietP99,
                        p99 / quietP99);
                during.addAll(r.latencies());
                rows += r.rows();
                seconds += r.seconds();
            }
            duringByMode.add(during);
            rowsOut.add(String.format(Locale.ROOT, "%-34s %10.0f %10.2f %8d %10.2f %10.2f", mode.name(),
                    rows / seconds, seconds / rounds, during.size(), percentile(during, 50), percentile(during, 99)));
        }
        System.out.printf(Locale.ROOT, "%nidentities %,d, ghosts %,d; live signups %d/s through the trigger;"
                + " reading the ghosts' ids (part of every round) %.2f s%n", identities, ghosts, SIGNUPS_PER_SECOND,
                readSeconds);
        System.out.printf(Locale.ROOT, "%-34s %10s %10s %8s %10s %10s %8s%n", "mode", "rows/s", "s/round",
                "signups", "p50_ms", "p99_ms", "p99_x");
        System.out.printf(Locale.ROOT, "%-34s %10s %10s %8d %10.2f %10.2f %7.2fx%n", "no backfill", "-", "-",
                quiet.size(), percentile(quiet, 50), percentile(quiet, 99), 1.0);
        if (!probeAlone.isEmpty()) {
            System.out.printf(Locale.ROOT, "%-34s %10s %10s %8d %10.2f %10.2f %7.2fx%n", "commit probe alone", "-",
                    "-", probeAlone.size(), percentile(probeAlone, 50), percentile(probeAlone, 99),
                    percentile(probeAlone, 99) / percentile(quiet, 99));
        }
        for (int i = 0; i < rowsOut.size(); i++) {
            System.out.printf(Locale.ROOT, "%s %7.2fx%n", rowsOut.get(i),
                    percentile(duringByMode.get(i), 99) / percentile(quiet, 99));
        }
        System.out.printf(Locale.ROOT, "(rows/s over %d rounds of %,d rows each, the read included; signup"
                + " latencies pooled over them, the quiet ones over a window before each round; goals: at least"
                + " 50,000 rows/s unthrottled, p99 at most 1.5x in the adaptive mode)%n", rounds, ghosts);
    }

    /** The fix's read of the ghosts' ids alone (it is part of every round's time). */
    private static double readSeconds(TestDatabase db, Settings settings) throws Exception {
        try (Connection c = db.connect()) {
            long start = System.nanoTime();
            int read = Unmatched.ghosts(c, settings.schema(), settings.statementTimeout(),
                    settings.lockTimeout()).size();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (read == 0) {
                throw new IllegalStateException("no ghosts to read");
            }
            return seconds;
        }
    }

    private record Mode(String name, ThrottleSettings throttle) {
    }

    /** Rounds per mode unless the 7th argument says otherwise. */
    private static final int ROUNDS = 3;

    private record Round(long rows, double seconds, List<Double> latencies) {
    }

    /** Backfills every ghost under the mode while signups run, then makes the same ghosts again. */
    private static Round measure(TestDatabase db, Settings settings, Signups live, Mode mode, int ghosts)
            throws Exception {
        UUID remediation = UUID.randomUUID();
        long[] rows = new long[1];
        double[] seconds = new double[1];
        db.execute("CHECKPOINT");
        List<Double> during;
        try (Connection c = db.connect()) {
            new Audit(settings.history()).start(c, remediation, "bench", "backfill", mode.name(),
                    new SnapshotReader(settings.schema()).read(c, new SnapshotRequest(Duration.ofHours(24),
                            Duration.ofHours(1), 0, Duration.ofMinutes(5), Duration.ofSeconds(5))), "");
            Progress progress = new Progress(new PrintWriter(System.err, true), mode.name(), ghosts);
            // As the fix command does: the probe's quiet baseline first, then the read and the batches.
            try (CommitWatch commits = CommitWatch.start(mode.throttle(), Plan.of(ghosts, List.of(), List.of()),
                    db::connect, StopRequest.NEVER, why -> progress.waiting(0, why))) {
                during = live.during(() -> {
                    long start = System.nanoTime();
                    BackfillFix fix = new BackfillFix(true);
                    BatchWriter mapping = IdBatches.statement(
                            BackfillFix.mappingSql(settings, "?", Optional.empty()),
                            BackfillFix.mappingSql(settings, "?", Optional.of("?")), "the column mapping",
                            failure -> Optional.empty());
                    Plan plan = Plan.of(ghosts, List.of(), List.of()).forRows(fix.rows(c, settings).orElseThrow(),
                            mapping);
                    rows[0] = fix.apply(c, settings, plan, remediation, null, progress,
                            new Throttle(mode.throttle(), StopRequest.NEVER, Throttle.SYSTEM, commits.probe()));
                    seconds[0] = (System.nanoTime() - start) / 1e9;
                });
            }
        }
        if (rows[0] != ghosts) {
            throw new IllegalStateException(mode.name() + ": backfilled " + rows[0] + " rows, expected " + ghosts);
        }
        // The same ghosts again for the next round (and a clean audit trail for its ids).
        db.execute("DELETE FROM public.users WHERE id::text IN (SELECT user_id FROM ghostwatch.remediated_ids"
                + " WHERE remediation_id = '" + remediation + "')");
        compact(db);
        return new Round(rows[0], seconds[0], during);
    }

    /** Rewrites the profile table without the holes deleted rows leave: ghosts are profiles never written. */
    private static void compact(TestDatabase db) {
        db.execute("VACUUM FULL public.users", "VACUUM ANALYZE public.users"); // FULL leaves the visibility map empty
    }

    /** Signups per second: a busy app's peak, paced, so every phase sees the same load. */
    private static final int SIGNUPS_PER_SECOND = 200;

    /** {@link SignupLoad} in a JVM of its own, signing up from launch; records only during {@link #during}. */
    private static final class Signups implements AutoCloseable {

        private final Process process;
        private final BufferedWriter commands;
        private final BufferedReader results;

        private Signups(Process process) {
            this.process = process;
            this.commands = process.outputWriter(StandardCharsets.UTF_8);
            this.results = process.inputReader(StandardCharsets.UTF_8);
        }

        static Signups start(TestDatabase db) throws Exception {
            String classpath = String.join(File.pathSeparator, location(SignupLoad.class),
                    location(Driver.class));
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xmx64m", "-XX:+UseSerialGC", "-cp", classpath, SignupLoad.class.getName(),
                    db.jdbcUrl(), db.user(), db.password(), String.valueOf(SIGNUPS_PER_SECOND))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            Thread.sleep(3000); // connected and warmed up before anything is recorded
            if (!p.isAlive()) {
                throw new IllegalStateException("the signup process exited with " + p.exitValue());
            }
            return new Signups(p);
        }

        private static String location(Class<?> type) throws Exception {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
        }

        interface Phase {
            void run() throws Exception;
        }

        /** The latencies, in ms, of the signups that finished while {@code phase} ran. */
        List<Double> during(Phase phase) throws Exception {
            send("go");
            try {
                phase.run();
            } finally {
                send("stop");
            }
            List<Double> latencies = new ArrayList<>();
            for (String line = results.readLine(); !"end".equals(line); line = results.readLine()) {
                if (line == null) {
                    throw new IllegalStateException("the signup process ended early");
                }
                latencies.add(Double.parseDouble(line));
            }
            return latencies;
        }

        private void send(String command) throws IOException {
            commands.write(command);
            commands.newLine();
            commands.flush();
        }

        @Override
        public void close() throws Exception {
            commands.close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static double percentile(List<Double> values, int p) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
