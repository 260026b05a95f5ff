package io.ghostwatch.bench;

import io.ghostwatch.diagnose.Diagnoser;
import io.ghostwatch.history.HistorySettings;
import io.ghostwatch.history.HistoryStore;
import io.ghostwatch.signups.Blocker;
import io.ghostwatch.signups.SignupActivity;
import io.ghostwatch.signups.SignupCounters;
import io.ghostwatch.signups.SignupLedger;
import io.ghostwatch.snapshot.CounterReading;
import io.ghostwatch.snapshot.HistoryTables;
import io.ghostwatch.snapshot.Snapshot;
import io.ghostwatch.snapshot.SnapshotReader;
import io.ghostwatch.snapshot.SnapshotRequest;
import io.ghostwatch.snapshot.TargetSchema;
import io.ghostwatch.sql.Identifier;
import io.ghostwatch.testing.TestDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Not a test: for each size (default 1,000,000 and 10,000,000 identities; 0.1% ghosts, some orphans, created_at
 * spread over 83 days, no index on it, as Supabase has none) loads a scratch database and times, side by side
 * in one run on the same warm data: the runbook's own queries, ghostwatch's full scan on one connection and on
 * two (the default: key ranges in one exported snapshot), a steady-state run (the counters say nothing
 * changed), the causes every check reads, and what every check reads for failing signups (the locks signups
 * would wait for, the identity table's statistics, the last check's ledger). Prints each round, the medians,
 * the ratio of the largest size to the smallest, and this process's peak memory. README.md says how to run it.
 *
 * <p>Arguments: {@code [sizes, comma-separated] [rounds]}. Server: the one the tests find ({@code TestServer}).
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

    private record Medians(double runbook, double full, double fullParallel, double steady,
                           double steadyUnmatched, double steadyBusy, double causes, double signups) {
    }

    private SnapshotBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        for (String s : (args.length > 0 ? args[0] : "1000000,10000000").split(",")) {
            sizes.add(Integer.parseInt(s.strip().replace("_", "")));
        }
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Map<Integer, Medians> results = new LinkedHashMap<>();
        for (int size : sizes) {
            results.put(size, measure(size, rounds));
        }
        System.out.printf(Locale.ROOT, "%n%-12s %12s %12s %12s %12s %20s %16s %12s %12s %10s %10s %10s %10s%n",
                "identities", "runbook_ms", "full_ms", "full_x2_ms", "steady_ms", "steady_unmatched_ms",
                "steady_busy_ms", "causes_ms", "signups_ms", "runbook/full_x2", "signups/steady",
                "full_x2/steady_unmatched", "full_x2/steady_busy");
        results.forEach((size, m) -> System.out.printf(Locale.ROOT,
                "%-12d %12.1f %12.1f %12.1f %12.1f %20.1f %16.1f %12.1f %12.2f %9.2fx %9.2fx %9.1fx %9.1fx%n", size,
                m.runbook(), m.full(), m.fullParallel(), m.steady(), m.steadyUnmatched(), m.steadyBusy(), m.causes(),
                m.signups(), m.runbook() / m.fullParallel(), m.signups() / m.steady(),
                m.fullParallel() / m.steadyUnmatched(), m.fullParallel() / m.steadyBusy()));
        if (results.size() > 1) {
            int small = sizes.get(0);
            int large = sizes.get(sizes.size() - 1);
            Medians a = results.get(small);
            Medians b = results.get(large);
            System.out.printf(Locale.ROOT, "%,d / %,d identities (%.0fx the rows): full scan %.2fx (two connections"
                            + " %.2fx), runbook %.2fx, steady state %.2fx, steady state with the unmatched rows"
                            + " standing %.2fx (%.0fx as many of them), the same with signups and sign-ins since"
                            + " %.2fx%n", large, small, (double) large / small,
                    b.full() / a.full(), b.fullParallel() / a.fullParallel(), b.runbook() / a.runbook(),
                    b.steady() / a.steady(), b.steadyUnmatched() / a.steadyUnmatched(), (double) large / small,
                    b.steadyBusy() / a.steadyBusy());
        }
        System.out.printf(Locale.ROOT, "peak memory of this process (VmHWM): %.1f MiB%n", peakMib());
    }

    private static Medians measure(int identities, int rounds) throws Exception {
        // At 10M: 10,000 ghosts and 2,500 unhandled orphans (plus 625 soft-deleted), as issue 25 measured.
        int ghosts = Math.max(1, identities / 1000);
        int softDeleted = Math.max(1, identities / 16000);
        int orphans = Math.max(1, identities / 4000) + softDeleted;
        try (TestDatabase db = TestDatabase.create("bench")) {
            long loadStart = System.nanoTime();
            BenchData.load(db, identities, ghosts, orphans, softDeleted);
            System.err.printf(Locale.ROOT, "loaded in %.1f s%n", (System.nanoTime() - loadStart) / 1e9);
            HistorySettings history = new HistorySettings(true, Identifier.of("ghostwatch"), Duration.ofDays(30),
                    Duration.ofDays(400));
            db.execute("CREATE SCHEMA ghostwatch", "SET search_path = ghostwatch; "
                    + Files.readString(Path.of("src/main/resources/db/migration/V3__scan_state.sql")),
                    "SET search_path = ghostwatch; "
                    + Files.readString(Path.of("src/main/resources/db/migration/V5__signup_state.sql")),
                    "SET search_path = ghostwatch; "
                    + Files.readString(Path.of("src/main/resources/db/migration/V6__deleted_identities.sql")),
                    "SET search_path = ghostwatch; "
                    + Files.readString(Path.of("src/main/resources/db/migration/V7__unmatched_ids.sql")),
                    "SET search_path = ghostwatch; "
                    + Files.readString(Path.of("src/main/resources/db/migration/V8__unmatched_rows.sql")),
                    "SET search_path = ghostwatch; "
                    + Files.readString(Path.of("src/main/resources/db/migration/V12__left_out_before.sql")));
            TargetSchema schema = TargetSchema.supabaseDefaults();
            SnapshotReader reader = new SnapshotReader(schema);
            // The service's default: the key space in two slices on two connections, in one snapshot.
            java.util.concurrent.atomic.AtomicInteger opened = new java.util.concurrent.atomic.AtomicInteger();
            SnapshotReader twoWay = new SnapshotReader(schema, Optional.of(() -> {
                opened.incrementAndGet();
                return db.connect();
            }), 2);
            HistoryTables tables = new HistoryTables(history.table("check_runs"), history.table("scan_state"),
                    history.table("scan_unmatched"), "bench");
            SnapshotRequest full = new SnapshotRequest(Duration.ofHours(24), Duration.ofHours(1), 20,
                    Duration.ofMinutes(5), Duration.ofSeconds(5), Optional.of(tables), Duration.ZERO);
            SnapshotRequest steady = new SnapshotRequest(Duration.ofHours(24), Duration.ofHours(1), 20,
                    Duration.ofMinutes(5), Duration.ofSeconds(5), Optional.of(tables), Duration.ofHours(1));
            // The same with the full scan's own baseline, its ghosts and orphans standing, their ids kept.
            SnapshotRequest standing = new SnapshotRequest(Duration.ofHours(24), Duration.ofHours(1), 20,
                    Duration.ofMinutes(5), Duration.ofSeconds(5), Optional.of(new HistoryTables(
                    history.table("check_runs"), history.table("scan_state"), history.table("scan_unmatched"),
                    "standing")), Duration.ofHours(1));
            Diagnoser diagnoser = new Diagnoser(schema);
            List<Double> runbook = new ArrayList<>();
            List<Double> fullMs = new ArrayList<>();
            List<Double> fullParallelMs = new ArrayList<>();
            List<Double> steadyMs = new ArrayList<>();
            List<Double> steadyUnmatchedMs = new ArrayList<>();
            List<Double> steadyBusyMs = new ArrayList<>();
            List<Double> causes = new ArrayList<>();
            List<Double> signups = new ArrayList<>();
            try (Connection c = db.connect()) {
                Snapshot check = reader.read(c, full);
                if (check.ghosts().total() != ghosts || check.orphans().unhandled() != orphans - softDeleted) {
                    throw new IllegalStateException("the loaded data is not what the benchmark meant to time: "
                            + check.ghosts() + " " + check.orphans());
                }
                Snapshot split = twoWay.read(c, full);
                if (opened.get() != 1 || !split.ghosts().equals(check.ghosts())
                        || !split.orphans().equals(check.orphans()) || split.identities() != check.identities()) {
                    throw new IllegalStateException("the two-connection scan did not split or counted otherwise: "
                            + split.ghosts() + " " + split.orphans() + ", connections opened: " + opened);
                }
                // The steady state needs a clean last scan: a baseline of a healed database (no ghost, no orphan).
                Snapshot healed = new Snapshot(check.databaseTime(), check.identities(), check.profiles(),
                        io.ghostwatch.snapshot.Ghosts.none(), new io.ghostwatch.snapshot.Orphans(0, 0),
                        check.trigger(), check.elapsed());
                HistoryStore.saveBaseline(c, history, "bench",
                        io.ghostwatch.snapshot.Baseline.of(healed, check.baseline().orElseThrow().counters(),
                                check.baseline().orElseThrow().shape()));
                if (reader.read(c, steady).scan().full()) {
                    throw new IllegalStateException("the steady-state run scanned in full");
                }
                if (check.baseline().orElseThrow().unmatched().isEmpty()) {
                    throw new IllegalStateException("the full scan kept no unmatched ids");
                }
                HistoryStore.saveBaseline(c, history, "standing", check.baseline().orElseThrow());
                Snapshot carried = reader.read(c, standing);
                if (carried.scan().full() || !carried.ghosts().equals(check.ghosts())
                        || !carried.orphans().equals(check.orphans())) {
                    throw new IllegalStateException("the steady run with unmatched rows standing scanned in full or"
                            + " counted otherwise: " + carried.scan() + " " + carried.ghosts() + " "
                            + carried.orphans());
                }
                HistoryStore.saveSignupLedger(c, history, "bench", SignupActivity.between(Optional.empty(),
                        CounterReading.read(c, schema).signups(), check.databaseTime(), 3).ledger(0));
                runRunbook(c); // warm every path once
                System.out.printf("%n%,d identities (%,d ghosts, %,d unhandled orphans)%n%-6s %12s %10s %10s %10s"
                        + " %20s %16s %10s %10s%n", identities, ghosts, orphans - softDeleted, "round", "runbook_ms",
                        "full_ms", "full_x2_ms", "steady_ms", "steady_unmatched_ms", "steady_busy_ms", "causes_ms",
                        "signups_ms");
                for (int round = 1; round <= rounds; round++) {
                    // Alternate which goes first so neither always profits from the other's cache.
                    double r;
                    double f;
                    if (round % 2 == 0) {
                        r = runRunbook(c);
                        f = time(() -> reader.read(c, full));
                    } else {
                        f = time(() -> reader.read(c, full));
                        r = runRunbook(c);
                    }
                    double p = time(() -> twoWay.read(c, full));
                    double s = time(() -> reader.read(c, steady));
                    // Standing rows with nothing changed since the full scan that kept them, then the same after
                    // signups (both tables' inserts) and sign-ins (identity updates): both tables read again.
                    Snapshot kept = reader.read(c, full);
                    HistoryStore.saveBaseline(c, history, "standing", kept.baseline().orElseThrow());
                    double su = time(() -> reader.read(c, standing));
                    busy(db, schema);
                    Snapshot[] busyRead = new Snapshot[1];
                    double sb = time(() -> busyRead[0] = reader.read(c, standing));
                    if (busyRead[0].scan().full() || !busyRead[0].ghosts().equals(kept.ghosts())
                            || !busyRead[0].scan().reason().contains("in both tables")) {
                        throw new IllegalStateException("the busy steady run scanned in full, counted otherwise or"
                                + " did not read both tables: " + busyRead[0].scan() + " " + busyRead[0].ghosts());
                    }
                    double d = time(() -> diagnoser.diagnose(c, check));
                    double u = time(() -> signupWork(c, schema, history, check));
                    runbook.add(r);
                    fullMs.add(f);
                    fullParallelMs.add(p);
                    steadyMs.add(s);
                    steadyUnmatchedMs.add(su);
                    steadyBusyMs.add(sb);
                    causes.add(d);
                    signups.add(u);
                    System.out.printf("%-6d %12.1f %10.1f %10.1f %10.1f %20.1f %16.1f %10.1f %10.2f%n", round, r, f,
                            p, s, su, sb, d, u);
                }
            }
            return new Medians(median(runbook), median(fullMs), median(fullParallelMs), median(steadyMs),
                    median(steadyUnmatchedMs), median(steadyBusyMs), median(causes), median(signups));
        }
    }

    /** What a check reads for failing signups: blockers, the statistics (shared with the steady state), the ledger. */
    private static void signupWork(Connection c, TargetSchema schema, HistorySettings history, Snapshot check)
            throws SQLException {
        Blocker.read(c, schema);
        SignupCounters now = CounterReading.read(c, schema).signups();
        SignupActivity.between(SignupLedger.read(c, history.schema(), "bench"), now, check.databaseTime(), 3);
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

    /**
     * A few minutes of a live project: 50 signups through the trigger and 50 sign-ins (identity updates) on
     * another session, closed so its counters reach pg_stat_user_tables, which this waits for.
     */
    private static void busy(TestDatabase db, TargetSchema schema) throws SQLException, InterruptedException {
        long before = changes(db);
        db.execute("INSERT INTO auth.users (id, email, created_at, updated_at) SELECT gen_random_uuid(),"
                        + " 'busy-' || gen_random_uuid() || '@example.com', now(), now() FROM generate_series(1, 50)",
                "UPDATE auth.users SET updated_at = now() WHERE id IN (SELECT id FROM auth.users"
                        + " TABLESAMPLE SYSTEM (0.1) LIMIT 50)");
        for (int i = 0; i < 200 && changes(db) < before + 150; i++) {
            Thread.sleep(50);
        }
    }

    private static long changes(TestDatabase db) {
        return db.queryLong("SELECT sum(n_tup_ins + n_tup_upd + n_tup_del)::bigint FROM pg_stat_user_tables"
                + " WHERE relid IN ('auth.users'::regclass, 'public.users'::regclass)");
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

    private static double peakMib() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Double.parseDouble(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }
}
