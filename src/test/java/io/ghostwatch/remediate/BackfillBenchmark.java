package io.ghostwatch.remediate;

import io.ghostwatch.bench.BenchData;
import io.ghostwatch.config.GhostwatchConfig;
import io.ghostwatch.config.Settings;
import io.ghostwatch.snapshot.SnapshotReader;
import io.ghostwatch.snapshot.SnapshotRequest;
import io.ghostwatch.testing.TestDatabase;
import io.ghostwatch.throttle.StopRequest;
import io.ghostwatch.throttle.Throttle;
import io.ghostwatch.throttle.ThrottleSettings;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Not a test: the backfill of 100,000 ghosts in a 1,000,000-identity database, with the real batch code and
 * throttle, and the latency of live signups (single-row identity inserts whose trigger writes the profile)
 * measured without and during the backfill, side by side in one run, for fixed batches, the adaptive default and
 * {@code --max-rate}. README.md says how to run it.
 *
 * <p>Arguments: {@code [identities] [ghosts] [signups] [batch size] [max rate]}. Server: {@code GHOSTWATCH_TEST_JDBC_URL}.
 */
public final class BackfillBenchmark {

    private BackfillBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int identities = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
        int ghosts = args.length > 1 ? Integer.parseInt(args[1].replace("_", "")) : 100_000;
        int baselineSignups = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        double maxRate = args.length > 4 ? Double.parseDouble(args[4]) : 20_000;
        Settings settings = Settings.from(new SmallRyeConfigBuilder().withMapping(GhostwatchConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withDefaultValues(args.length > 3 ? Map.of("ghostwatch.remediate.batch-size", args[3]) : Map.of())
                .build().getConfigMapping(GhostwatchConfig.class));

        try (TestDatabase db = TestDatabase.create("backfill_bench")) {
            BenchData.load(db, identities, ghosts, 0, 0);
            for (String migration : List.of("db/migration/V1__history_and_outbox.sql",
                    "db/migration/V2__remediation_audit.sql", "db/migration/V4__interrupted_fixes_and_lighter_audit.sql")) {
                db.execute("CREATE SCHEMA IF NOT EXISTS ghostwatch", "SET search_path = ghostwatch; "
                        + new String(BackfillBenchmark.class.getClassLoader().getResourceAsStream(migration)
                        .readAllBytes(), StandardCharsets.UTF_8));
            }

            List<Double> quiet = signups(db, baselineSignups * ROUNDS, null);
            System.out.printf(Locale.ROOT, "%nidentities %,d, ghosts %,d; live signups %d/s through the trigger%n",
                    identities, ghosts, SIGNUPS_PER_SECOND);
            System.out.printf(Locale.ROOT, "%-34s %10s %10s %8s %10s %10s %8s%n", "mode", "rows/s", "s/round",
                    "signups", "p50_ms", "p99_ms", "p99_x");
            System.out.printf(Locale.ROOT, "%-34s %10s %10s %8d %10.2f %10.2f %7.2fx%n", "no backfill", "-", "-",
                    quiet.size(), percentile(quiet, 50), percentile(quiet, 99), 1.0);
            int fixed = settings.remediation().batchSize();
            Duration t = ThrottleSettings.DEFAULT_BATCH_TIME;
            int min = ThrottleSettings.MIN_BATCH;
            int max = ThrottleSettings.MAX_BATCH;
            List<Mode> modes = List.of(
                    new Mode("fixed " + fixed + "-row batches", ThrottleSettings.fixed(fixed)),
                    new Mode("unthrottled (--max-load 0)", new ThrottleSettings(t, fixed, min, max,
                            OptionalDouble.empty(), Duration.ZERO, Optional.empty(), 0)),
                    new Mode("adaptive (default --max-load 1.5)", new ThrottleSettings(t, fixed, min, max,
                            OptionalDouble.empty(), Duration.ZERO, Optional.empty(),
                            ThrottleSettings.DEFAULT_MAX_LOAD)),
                    new Mode(String.format(Locale.ROOT, "--max-rate %.0f", maxRate), new ThrottleSettings(t, fixed,
                            min, max, OptionalDouble.of(maxRate), Duration.ZERO, Optional.empty(), 0)));
            for (Mode mode : modes) {
                // Rounds pooled: a p99 of one short run is its handful of worst signups, mostly noise.
                List<Double> during = new ArrayList<>();
                long rows = 0;
                double seconds = 0;
                for (int round = 0; round < ROUNDS; round++) {
                    Round r = measure(db, settings, mode, ghosts);
                    during.addAll(r.latencies());
                    rows += r.rows();
                    seconds += r.seconds();
                }
                System.out.printf(Locale.ROOT, "%-34s %10.0f %10.2f %8d %10.2f %10.2f %7.2fx%n", mode.name(),
                        rows / seconds, seconds / ROUNDS, during.size(), percentile(during, 50),
                        percentile(during, 99), percentile(during, 99) / percentile(quiet, 99));
            }
            System.out.printf(Locale.ROOT, "(rows/s over %d rounds of %,d rows each; signup latencies pooled over"
                    + " them; goals: at least 50,000 rows/s unthrottled, p99 at most 1.5x in the adaptive mode)%n",
                    ROUNDS, ghosts);
        }
    }

    private record Mode(String name, ThrottleSettings throttle) {
    }

    /** Backfills every ghost under the mode while signups run, prints the row, then makes the same ghosts again. */
    private static final int ROUNDS = 3;

    private record Round(long rows, double seconds, List<Double> latencies) {
    }

    private static Round measure(TestDatabase db, Settings settings, Mode mode, int ghosts) throws Exception {
        UUID remediation = UUID.randomUUID();
        AtomicBoolean done = new AtomicBoolean();
        long rows;
        double seconds;
        List<Double> during;
        try (Connection c = db.connect()) {
            new Audit(settings.history()).start(c, remediation, "bench", "backfill", mode.name(),
                    new SnapshotReader(settings.schema()).read(c, new SnapshotRequest(Duration.ofHours(24),
                            Duration.ofHours(1), 0, Duration.ofMinutes(5), Duration.ofSeconds(5))), "");
            CompletableFuture<List<Double>> live = CompletableFuture.supplyAsync(() -> {
                try {
                    return signups(db, Integer.MAX_VALUE, done);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            long start = System.nanoTime();
            rows = new BackfillFix().apply(c, settings, null, remediation, null,
                    new Progress(new PrintWriter(System.err, true), mode.name(), ghosts),
                    new Throttle(mode.throttle(), StopRequest.NEVER, Throttle.SYSTEM));
            seconds = (System.nanoTime() - start) / 1e9;
            done.set(true);
            during = live.get();
        }
        if (rows != ghosts) {
            throw new IllegalStateException(mode.name() + ": backfilled " + rows + " rows, expected " + ghosts);
        }
        // The same ghosts again for the next mode (and a clean audit trail for its ids).
        db.execute("DELETE FROM public.users WHERE id::text IN (SELECT user_id FROM ghostwatch.remediated_ids"
                + " WHERE remediation_id = '" + remediation + "')", "VACUUM ANALYZE public.users");
        return new Round(rows, seconds, during);
    }

    /** Signups per second: a busy app's peak, paced, so the two runs see the same load. */
    private static final int SIGNUPS_PER_SECOND = 200;

    /** Single-row signups through the trigger, each its own transaction, paced; their latencies in ms. */
    private static List<Double> signups(TestDatabase db, int count, AtomicBoolean stop) throws SQLException {
        List<Double> latencies = new ArrayList<>();
        long interval = 1_000_000_000L / SIGNUPS_PER_SECOND;
        long next = System.nanoTime();
        try (Connection c = db.connect(); PreparedStatement st = c.prepareStatement(
                "INSERT INTO auth.users (id, email, created_at) VALUES (?, 'bench-signup@example.com', now())")) {
            for (int i = 0; i < count && (stop == null || !stop.get()); i++) {
                st.setObject(1, UUID.randomUUID());
                long t = System.nanoTime();
                st.executeUpdate();
                latencies.add((System.nanoTime() - t) / 1e6);
                next += interval;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
            }
        }
        return latencies;
    }

    private static double percentile(List<Double> values, int p) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
