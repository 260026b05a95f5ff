package io.ghostwatch.bench;

import io.ghostwatch.diagnose.Diagnoser;
import io.ghostwatch.snapshot.Snapshot;
import io.ghostwatch.snapshot.SnapshotReader;
import io.ghostwatch.snapshot.SnapshotRequest;
import io.ghostwatch.snapshot.TargetSchema;
import io.ghostwatch.testing.TestDatabase;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Not a test: loads a Supabase-like database (default 1,000,000 identities, 0.1% ghosts, some orphans) into a
 * scratch database and times, side by side in one run, the runbook's own queries against ghostwatch's snapshot
 * on the same warm data. Prints each round and the ratio of the medians. README.md says how to run it.
 *
 * <p>Arguments: {@code [identities] [rounds]}. Server: {@code GHOSTWATCH_TEST_JDBC_URL} (default the local one).
 */
public final class SnapshotBenchmark {

    /** What the runbook has an engineer run to know the same things: count, ages, trigger, orphans, parity. */
    private static final List<String> RUNBOOK = List.of(
            // Manual Check
            "SELECT COUNT(*) FROM auth.users au LEFT JOIN public.users pu ON au.id = pu.id WHERE pu.id IS NULL",
            // Step 1: ghost details, for the ages that decide the severity
            "SELECT au.id, au.email, au.created_at, EXTRACT(DAY FROM (NOW() - au.created_at))::INTEGER as days_old"
                    + " FROM auth.users au LEFT JOIN public.users pu ON au.id = pu.id WHERE pu.id IS NULL"
                    + " ORDER BY au.created_at DESC",
            // Step 2
            "SELECT tgname, tgenabled, tgrelid::regclass FROM pg_trigger WHERE tgname = 'on_auth_user_created'",
            // Scenario 4 (check_orphaned_profiles(), written out)
            "SELECT pu.id FROM public.users pu LEFT JOIN auth.users au ON au.id = pu.id"
                    + " WHERE au.id IS NULL AND pu.deleted_at IS NULL",
            // count_parity_check
            "SELECT (SELECT count(*) FROM auth.users), (SELECT count(*) FROM public.users)");

    private SnapshotBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int identities = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        int ghosts = Math.max(1, identities / 1000);
        int orphans = Math.max(1, identities / 5000);
        int softDeleted = orphans / 4;

        try (TestDatabase db = TestDatabase.create("bench")) {
            long loadStart = System.nanoTime();
            BenchData.load(db, identities, ghosts, orphans, softDeleted);
            System.err.printf("loaded in %.1f s%n", (System.nanoTime() - loadStart) / 1e9);

            SnapshotReader reader = new SnapshotReader(TargetSchema.supabaseDefaults());
            SnapshotRequest request = new SnapshotRequest(Duration.ofHours(24), Duration.ofHours(1), 20,
                    Duration.ofMinutes(5), Duration.ofSeconds(5));
            List<Double> runbook = new ArrayList<>();
            List<Double> ghostwatch = new ArrayList<>();
            List<Double> causes = new ArrayList<>();
            Diagnoser diagnoser = new Diagnoser(TargetSchema.supabaseDefaults());
            try (Connection c = db.connect()) {
                Snapshot check = reader.read(c, request);
                if (check.ghosts().total() != ghosts || check.orphans().unhandled() != orphans - softDeleted) {
                    throw new IllegalStateException("the loaded data is not what the benchmark meant to time: "
                            + check.ghosts() + " " + check.orphans());
                }
                runRunbook(c); // warm both paths once
                System.out.printf("%-6s %12s %15s %10s%n", "round", "runbook_ms", "ghostwatch_ms", "causes_ms");
                for (int round = 1; round <= rounds; round++) {
                    // Alternate which goes first so neither always profits from the other's cache.
                    double r;
                    double g;
                    if (round % 2 == 0) {
                        r = runRunbook(c);
                        g = time(() -> reader.read(c, request));
                    } else {
                        g = time(() -> reader.read(c, request));
                        r = runRunbook(c);
                    }
                    // The causes every check now reads from the catalog, after the snapshot.
                    double d = time(() -> diagnoser.diagnose(c, check));
                    runbook.add(r);
                    ghostwatch.add(g);
                    causes.add(d);
                    System.out.printf("%-6d %12.1f %15.1f %10.1f%n", round, r, g, d);
                }
            }
            double r = median(runbook);
            double g = median(ghostwatch);
            System.out.printf(Locale.ROOT, "%nidentities %,d, ghosts %,d, orphans %,d (%,d soft-deleted)%n",
                    identities, ghosts, orphans, softDeleted);
            System.out.printf(Locale.ROOT, "median: runbook queries %.1f ms, ghostwatch snapshot %.1f ms,"
                    + " ratio %.2fx (goal: at least 2x)%n", r, g, r / g);
            System.out.printf(Locale.ROOT, "causes read on every check: %.1f ms, %.1f%% of the snapshot%n",
                    median(causes), 100 * median(causes) / g);
        }
    }

    private static double runRunbook(Connection c) throws SQLException {
        long start = System.nanoTime();
        try (Statement st = c.createStatement()) {
            for (String sql : RUNBOOK) {
                try (ResultSet rs = st.executeQuery(sql)) {
                    while (rs.next()) {
                        rs.getObject(1);
                    }
                }
            }
        }
        return (System.nanoTime() - start) / 1e6;
    }

    private interface SqlWork {
        void run() throws SQLException;
    }

    private static double time(SqlWork work) throws SQLException {
        long start = System.nanoTime();
        work.run();
        return (System.nanoTime() - start) / 1e6;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
