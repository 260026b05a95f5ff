package io.ghostwatch.bench;

import io.ghostwatch.diagnose.Diagnoser;
import io.ghostwatch.path.ContractSelection;
import io.ghostwatch.path.SignupPath;
import io.ghostwatch.path.TableContract;
import io.ghostwatch.run.ContractMissing;
import io.ghostwatch.snapshot.Snapshot;
import io.ghostwatch.snapshot.SnapshotReader;
import io.ghostwatch.snapshot.SnapshotRequest;
import io.ghostwatch.snapshot.TargetSchema;
import io.ghostwatch.sql.QualifiedName;
import io.ghostwatch.testing.SupabaseFixture;
import io.ghostwatch.testing.TestDatabase;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Not a test: what reading the signup path adds to every check, side by side in one run with the causes every
 * check reads already and a full scan, on a database whose path has the shapes public projects have (an INSERT
 * trigger writing two tables and calling a function that writes a third, a confirmation trigger). The path is read
 * from the catalog only, so its cost does not grow with the tables. README.md ("The signup path") has the figure.
 *
 * <p>Arguments: {@code [identities] [rounds]}, default {@code 100000 20}.
 */
public final class PathBenchmark {

    private PathBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int identities = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 100_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        try (TestDatabase db = TestDatabase.create("path_bench")) {
            SupabaseFixture fixture = SupabaseFixture.install(db);
            db.execute("CREATE TABLE public.user_roles (user_id uuid PRIMARY KEY, role text NOT NULL)",
                    "CREATE TABLE public.workspaces (owner uuid PRIMARY KEY, name text)",
                    "CREATE FUNCTION public.create_workspace(owner_id uuid, label text) RETURNS void"
                            + " LANGUAGE plpgsql SET search_path = public AS $$ BEGIN"
                            + " INSERT INTO workspaces (owner, name) VALUES (owner_id, label); END $$",
                    "CREATE OR REPLACE FUNCTION public.handle_new_user() RETURNS trigger LANGUAGE plpgsql"
                            + " SECURITY DEFINER SET search_path = public AS $$ BEGIN"
                            + " IF NEW.is_anonymous THEN RETURN NEW; END IF;"
                            + " INSERT INTO users (id, email) VALUES (NEW.id, NEW.email) ON CONFLICT (id) DO NOTHING;"
                            + " INSERT INTO user_roles (user_id, role) VALUES (NEW.id, 'member')"
                            + " ON CONFLICT (user_id) DO NOTHING;"
                            + " PERFORM create_workspace(NEW.id, 'home'); RETURN NEW; END $$",
                    "CREATE TRIGGER on_auth_user_confirmed AFTER UPDATE ON auth.users FOR EACH ROW"
                            + " WHEN (OLD.email_confirmed_at IS NULL AND NEW.email_confirmed_at IS NOT NULL)"
                            + " EXECUTE FUNCTION public.handle_new_user()");
            fixture.users(identities, Duration.ofDays(3));
            // The path's other tables as a live project has them: the trigger wrote every user's rows; 1 in 256 lost.
            db.execute("DELETE FROM public.user_roles WHERE right(user_id::text, 2) = '00'",
                    "DELETE FROM public.workspaces WHERE right(owner::text, 2) = '01'");
            db.execute("VACUUM ANALYZE auth.users", "VACUUM ANALYZE public.users", "VACUUM ANALYZE public.user_roles",
                    "VACUUM ANALYZE public.workspaces");
            TargetSchema schema = TargetSchema.supabaseDefaults();
            SnapshotRequest full = new SnapshotRequest(Duration.ofHours(24), Duration.ofHours(1), 20,
                    Duration.ofMinutes(5), Duration.ofSeconds(5));
            List<Double> path = new ArrayList<>();
            List<Double> causes = new ArrayList<>();
            List<Double> scan = new ArrayList<>();
            List<Double> counts = new ArrayList<>();
            List<Double> causesOnPath = new ArrayList<>();
            try (Connection c = db.connect()) {
                Snapshot snapshot = new SnapshotReader(schema).read(c, full);
                SignupPath read = SignupPath.read(c, QualifiedName.parse("auth.users"), "id");
                if (read.writes().size() != 6 || ContractSelection.of(read, "public", "users").isEmpty()) {
                    throw new IllegalStateException("the path is not the one the benchmark meant to time: " + read);
                }
                Diagnoser diagnoser = new Diagnoser(schema);
                List<TableContract> discovered = TableContract.discovered(read, "public", "users", List.of());
                if (discovered.size() != 2) {
                    throw new IllegalStateException("expected user_roles and workspaces as contracts: " + discovered);
                }
                System.out.printf(Locale.ROOT, "%-6s %10s %10s %16s %12s %14s%n", "round", "path_ms", "causes_ms",
                        "causes_path_ms", "full_scan_ms", "contracts_ms");
                for (int round = 1; round <= rounds; round++) {
                    double p = time(() -> ContractSelection.of(SignupPath.read(c, QualifiedName.parse("auth.users"),
                            "id"), "public", "users"));
                    double d = time(() -> diagnoser.diagnose(c, snapshot));
                    // As a check runs them: the rules over the path too (its writes' privileges, the triggers on
                    // the tables it writes, the enum literals of its functions).
                    double dp = time(() -> diagnoser.diagnose(c, snapshot, java.util.Optional.of(read)));
                    double f = time(() -> new SnapshotReader(schema).read(c, full));
                    double k = time(() -> countAll(c, schema, discovered));
                    path.add(p);
                    causes.add(d);
                    causesOnPath.add(dp);
                    scan.add(f);
                    counts.add(k);
                    System.out.printf(Locale.ROOT, "%-6d %10.2f %10.2f %16.2f %12.1f %14.1f%n", round, p, d, dp, f,
                            k);
                }
            }
            double p = median(path);
            double d = median(causes);
            double f = median(scan);
            double k = median(counts);
            System.out.printf(Locale.ROOT, "%nmedians at %,d identities: path %.2f ms, causes %.2f ms, full scan %.1f ms;"
                    + " path / causes %.2fx, path / full scan %.3fx%n", identities, p, d, f, p / d, p / f);
            System.out.printf(Locale.ROOT, "causes with the path's rules, as a check runs them: %.2f ms (%.2fx the"
                    + " causes without them)%n", median(causesOnPath), median(causesOnPath) / d);
            System.out.printf(Locale.ROOT, "counting the path's 2 other tables identity by identity (a check that"
                    + " cannot carry their counts): %.1f ms, %.2fx the full scan%n", k, k / f);
        }
    }

    /** Each contract counted as a check counts it when it cannot carry the last count: the 7-day window. */
    private static Object countAll(Connection c, TargetSchema schema, List<TableContract> contracts)
            throws Exception {
        for (TableContract t : contracts) {
            try (java.sql.PreparedStatement st = c.prepareStatement(ContractMissing.count(schema, t))) {
                List<String> intervals = ContractMissing.intervals(t, Duration.ofDays(7));
                st.setString(1, intervals.get(0));
                st.setString(2, intervals.get(1));
                try (java.sql.ResultSet rs = st.executeQuery()) {
                    rs.next();
                }
            }
        }
        return contracts;
    }

    private interface Work {
        Object run() throws Exception;
    }

    private static double time(Work w) throws Exception {
        long start = System.nanoTime();
        w.run();
        return (System.nanoTime() - start) / 1e6;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
