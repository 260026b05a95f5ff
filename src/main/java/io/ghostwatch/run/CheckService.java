package io.ghostwatch.run;

import io.agroal.api.AgroalDataSource;
import io.ghostwatch.canary.CanaryProbe;
import io.ghostwatch.canary.CanaryResult;
import io.ghostwatch.diagnose.Cause;
import io.ghostwatch.diagnose.Diagnoser;
import io.ghostwatch.diagnose.ProfileTarget;
import io.ghostwatch.judge.Evidence;
import io.ghostwatch.snapshot.HistoryTables;
import io.ghostwatch.config.GhostwatchConfig;
import io.ghostwatch.config.Settings;
import io.ghostwatch.judge.Judge;
import io.ghostwatch.judge.SignupsBlockedCheck;
import io.ghostwatch.signups.Blocker;
import io.ghostwatch.signups.SignupActivity;
import io.ghostwatch.signups.SignupKinds;
import io.ghostwatch.signups.SignupKindsReader;
import io.ghostwatch.signups.SignupLedger;
import io.ghostwatch.snapshot.CounterReading;
import io.ghostwatch.judge.Verdict;
import io.ghostwatch.path.ContractRows;
import io.ghostwatch.path.ContractSettings;
import io.ghostwatch.path.ProfileContract;
import io.ghostwatch.path.SignupPath;
import io.ghostwatch.path.TakenSince;
import io.ghostwatch.path.TableContract;
import io.ghostwatch.path.WriteWatch;
import io.ghostwatch.snapshot.TargetSchema;
import io.ghostwatch.snapshot.SchemaProblemException;
import io.ghostwatch.snapshot.Snapshot;
import io.ghostwatch.snapshot.SnapshotReader;
import io.ghostwatch.snapshot.SnapshotRequest;
import io.ghostwatch.sql.SearchPath;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** One check: config → snapshot, causes and canary side by side → verdict. Outputs (report, metrics, history, notifications) come after it. */
@ApplicationScoped
public class CheckService {

    /** SQLSTATE lock_not_available (lock_timeout) and query_canceled (statement_timeout). */
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    private static final String QUERY_CANCELED = "57014";

    @Inject
    GhostwatchConfig config;

    @Inject
    Instance<AgroalDataSource> dataSource;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    Optional<String> jdbcUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    Optional<String> username;

    /** Validated settings; throws {@link io.ghostwatch.config.InvalidConfigurationException} naming each bad key. */
    public Settings settings() {
        return Settings.from(config);
    }

    public DatabaseLocation location() {
        return DatabaseLocation.of(jdbcUrl.orElse(null), username);
    }

    public CheckOutcome check(Settings settings) throws CannotCheckException {
        return check(settings, settings.fullScanInterval());
    }

    /**
     * A check whose numbers are counted, never carried forward from the statistics (a full scan): what a fix
     * plans from, audits and verifies with.
     */
    public CheckOutcome exactCheck(Settings settings) throws CannotCheckException {
        return check(settings, Duration.ZERO);
    }

    private void requirePostgresUrl() throws CannotCheckException {
        if (jdbcUrl.isEmpty() || jdbcUrl.get().isBlank()) {
            throw new CannotCheckException("no database configured: set QUARKUS_DATASOURCE_JDBC_URL"
                    + " (e.g. jdbc:postgresql://db.example:5432/postgres), QUARKUS_DATASOURCE_USERNAME and"
                    + " QUARKUS_DATASOURCE_PASSWORD");
        }
        if (!jdbcUrl.get().startsWith("jdbc:postgresql:")) {
            String scheme = jdbcUrl.get().contains(":") ? jdbcUrl.get().substring(0, jdbcUrl.get().indexOf(':'))
                    : jdbcUrl.get();
            throw new CannotCheckException("QUARKUS_DATASOURCE_JDBC_URL is not a PostgreSQL URL (it starts with '"
                    + scheme + "'): use jdbc:postgresql://host:5432/database, or the libpq form"
                    + " postgres://user:password@host:5432/database (percent-encode special characters)");
        }
    }

    /** The settings with the schema's detected parts ({@link TargetSchema#resolved}) read from the database. */
    public Settings resolved(Settings configured) throws CannotCheckException {
        return resolve(configured).settings();
    }

    /** A contract besides the profile's, found by its name, and the settings it was resolved with. */
    public record FoundContract(Settings settings, TableContract contract) {
    }

    /**
     * The contract named {@code name}: declared, or discovered on the signup path (whether or not checks count
     * discovered ones). Unknown names and contracts whose condition cannot be written in SQL are refused, naming
     * the contracts there are.
     */
    public FoundContract contract(Settings configured, String name) throws CannotCheckException {
        Resolution r = resolve(configured);
        TargetSchema schema = r.settings().schema();
        List<TableContract> all = new java.util.ArrayList<>();
        configured.contracts().declared().forEach(d -> all.add(TableContract.declared(d)));
        try (Connection connection = dataSource.get().getConnection()) {
            SignupPath path = r.contract().flatMap(ProfileContract::path).isPresent()
                    ? r.contract().flatMap(ProfileContract::path).get() : readPath(connection, schema);
            all.addAll(TableContract.discovered(path, schema.profileTable().schema().name(),
                    schema.profileTable().name().name(), configured.contracts().declared()));
        } catch (SQLException | RuntimeException e) {
            throw new CannotCheckException(DatabaseErrors.explain(e, location(), configured), e);
        }
        TableContract found = all.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow(
                () -> new CannotCheckException("no contract named '" + name + "': " + (all.isEmpty()
                        ? "none is declared (ghostwatch.contracts.declared) and the signup path writes no table"
                        + " besides the profile's" : "the contracts are " + String.join(", ", all.stream()
                        .map(TableContract::name).toList())), null));
        if (!found.countable()) {
            throw new CannotCheckException("the contract " + name + " cannot be listed identity by identity: the"
                    + " signup path writes it only when " + found.selects().text() + ", which cannot be written in"
                    + " SQL (" + found.selects().untranslatable().orElse("") + ")", null);
        }
        return new FoundContract(r.settings(), found);
    }

    /** Settings resolved against the database, and the profile contract as the signup path defines it. */
    private record Resolution(Settings settings, Optional<ProfileContract> contract) {
    }

    private Resolution resolve(Settings configured) throws CannotCheckException {
        requirePostgresUrl();
        if (!configured.schema().detectsAnything()) {
            // already resolved (a fix resolves once, then checks): no second round trip
            return new Resolution(configured, Optional.empty());
        }
        boolean path = configured.schema().selectionDetected();
        try (Connection connection = dataSource.get().getConnection()) {
            TargetSchema schema = SearchPath.inTransaction(connection, () -> configured.schema().resolved(connection));
            if (!path) {
                return new Resolution(configured.withSchema(schema), Optional.of(
                        ProfileContract.everyIdentity(schema.profileTable().toString())));
            }
            Optional<HistoryTable.Where> memory = configured.history().enabled()
                    ? Optional.of(HistoryTable.Where.of(configured, "profile_contract"))
                    : Optional.empty();
            try {
                ContractResolution.Resolved r = SearchPath.inTransaction(connection,
                        () -> ContractResolution.read(connection, schema, memory));
                return new Resolution(configured.withSchema(r.schema()), Optional.of(r.contract()));
            } catch (SQLException | RuntimeException e) {
                // The path refines the check; a path that cannot be read leaves it as the runbook has it, and
                // says so (the note profile_condition_unknown), rather than leaving the database unchecked.
                return new Resolution(configured.withSchema(schema), Optional.of(new ProfileContract(
                        schema.profileTable().toString(), Optional.empty(), Optional.empty(),
                        Optional.of("the signup path could not be read (" + DatabaseErrors.explain(e, location(),
                                configured) + "): every identity is counted"))));
            }
        } catch (SQLException | RuntimeException e) {
            throw new CannotCheckException(DatabaseErrors.explain(e, location(), configured), e);
        }
    }

    /** What a check reads before its snapshot, in one pinned transaction: the lock holders, then the counters. */
    private record BeforeSnapshot(List<Blocker> blockers, Optional<CounterReading> counters) {
    }

    /** A fix's settings, resolved once (the signup path read with them), and its exact check under them. */
    public record Resolved(Settings settings, CheckOutcome outcome) {
    }

    /** What a fix plans from: {@link #resolved} and {@link #exactCheck} with the path kept in the evidence. */
    public Resolved resolvedExactCheck(Settings configured) throws CannotCheckException {
        Resolution resolution = resolve(configured);
        return new Resolved(resolution.settings(), check(resolution, Duration.ZERO));
    }

    private CheckOutcome check(Settings configured, Duration fullScanInterval) throws CannotCheckException {
        return check(resolve(configured), fullScanInterval);
    }

    private CheckOutcome check(Resolution resolution, Duration fullScanInterval) throws CannotCheckException {
        Settings settings = resolution.settings();
        DatabaseLocation where = location();
        Instant started = Instant.now();
        SnapshotRequest request = new SnapshotRequest(settings.policy().oldAfter(), settings.policy().recentWindow(),
                settings.ghostSampleSize(), settings.statementTimeout(), settings.lockTimeout(),
                settings.history().enabled()
                        ? Optional.of(new HistoryTables(settings.history().table("check_runs"),
                                settings.history().table("scan_state"), settings.history().table("scan_unmatched"),
                                settings.target()))
                        : Optional.empty(), fullScanInterval, settings.steadyStateMaxUnmatched());
        Evidence evidence;
        try (Connection connection = dataSource.get().getConnection()) {
            // Locks first: pg_locks needs no lock on the tables, so a session that holds them is named even
            // when the snapshot cannot be read past it.
            BeforeSnapshot before = SearchPath.inTransaction(connection, () -> new BeforeSnapshot(
                    Blocker.read(connection, settings.schema()), request.history().isPresent()
                    ? Optional.of(CounterReading.read(connection, settings.schema())) : Optional.empty()));
            List<Blocker> blockers = before.blockers();
            Optional<CounterReading> counters = before.counters();
            Snapshot snapshot;
            try {
                snapshot = new SnapshotReader(settings.schema(), Optional.of(dataSource.get()::getConnection),
                        settings.fullScanParallelism())
                        .read(connection, request, counters.map(CounterReading::tables));
            } catch (SQLException e) {
                throw blocked(e, blockers, counters, connection, settings).orElseThrow(() -> e);
            } catch (SchemaProblemException e) {
                throw withProfileTarget(e, connection, settings);
            }
            // After the snapshot, whose preflight names missing grants first.
            Optional<SignupLedger> ledger = counters.isPresent() ? SearchPath.inTransaction(connection,
                    () -> SignupLedger.read(connection, settings.history().schema(), settings.target()))
                    : Optional.empty();
            Optional<SignupPath> path = resolution.contract().flatMap(ProfileContract::path);
            // Before the canary, whose rolled-back signup the statistics count only after it.
            List<WriteWatch> watches = path.isPresent() && settings.history().enabled()
                    ? SearchPath.inTransaction(connection, () -> WriteWatchReader.read(connection, settings.schema(),
                            path.get(), HistoryTable.Where.of(settings, "path_writes"), Instant.now()))
                    : List.of();
            // Causes on every check: a failing signup leaves no ghost for the counts to show.
            List<Cause> causes = new Diagnoser(settings.schema()).diagnose(connection, snapshot, path);
            Optional<CanaryResult> canary = settings.canary().enabled()
                    ? Optional.of(new CanaryProbe(settings.schema(), settings.canary(),
                            settings.notifications().emailColumn(),
                            path.map(SignupPath::updatesOnSignup).orElse(false)).run(connection))
                    : Optional.empty();
            Optional<SignupActivity> signups = counters.map(k -> SignupActivity.between(ledger, k.signups(),
                    snapshot.databaseTime(), settings.policy().failedSignupsP0()));
            List<ContractRows> contracts = ContractReader.read(connection, settings.schema(), settings.contracts(),
                    path.isPresent() || settings.contracts().discovered() == ContractSettings.Discovered.WATCH ? path
                            : pathForContracts(connection, settings.schema()),
                    settings.history().enabled() ? Optional.of(new ContractReader.Steady(
                            HistoryTable.Where.of(settings, "contract_counts"), fullScanInterval)) : Optional.empty());
            Optional<TakenSince> takenSince = settings.history().enabled() && snapshot.ghosts().total() > 0
                    ? takenSince(connection, settings) : Optional.empty();
            Optional<SignupKinds> kinds = signups.filter(SignupActivity::rollingBack).flatMap(a -> a.since())
                    .map(from -> kinds(connection, settings, from, snapshot.databaseTime()));
            evidence = new Evidence(snapshot, canary, causes, signups, blockers, resolution.contract(), watches,
                    contracts, takenSince, kinds);
        } catch (CannotCheckException e) {
            throw e;
        } catch (SchemaProblemException e) {
            throw new CannotCheckException(String.join("; ", e.problems()), e);
        } catch (SQLException | RuntimeException e) {
            throw new CannotCheckException(DatabaseErrors.explain(e, where, settings), e);
        }
        Verdict verdict = Judge.judge(evidence, settings.policy(), settings.schema());
        return new CheckOutcome(settings.target(), where, started, Instant.now(), evidence, verdict);
    }

    /** The kinds of signup committed since the last check and before it; unknown, saying why, when unreadable. */
    private static SignupKinds kinds(Connection connection, Settings settings, Instant from, Instant to) {
        try {
            return SearchPath.inTransaction(connection, () -> SignupKindsReader.read(connection, settings.schema(),
                    from, to));
        } catch (SQLException | RuntimeException e) {
            return SignupKinds.unknown(from, e instanceof SQLException q ? io.ghostwatch.sql.Sql.firstLine(q)
                    : String.valueOf(e.getMessage()));
        }
    }

    /** Ghosts kept as left out by design earlier; unknown (empty) when the history cannot say. */
    private static Optional<TakenSince> takenSince(Connection connection, Settings settings) {
        try {
            return SearchPath.inTransaction(connection, () -> TakenSinceReader.read(connection, settings.schema(),
                    HistoryTable.Where.of(settings, "scan_unmatched")));
        } catch (SQLException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The signup path for the contracts when the profile's resolution did not read it (settings resolved once
     * for a fix, or ghostwatch.profile.selection=all); a path that cannot be read counts no discovered contract.
     */
    private static Optional<SignupPath> pathForContracts(Connection connection, TargetSchema schema) {
        try {
            return Optional.of(readPath(connection, schema));
        } catch (SQLException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The signup path read on its own, in a pinned transaction. */
    private static SignupPath readPath(Connection connection, TargetSchema schema) throws SQLException {
        return SearchPath.inTransaction(connection, () -> SignupPath.read(connection, schema.identityTable(),
                schema.identityId().name()));
    }

    /**
     * A configured profile table that does not exist, told where the sync function does put profiles (the docs'
     * {@code public.profiles} against the runbook's default {@code public.users}).
     */
    private static SchemaProblemException withProfileTarget(SchemaProblemException e, Connection connection,
                                                            Settings settings) throws SQLException {
        if (!e.missingTables().contains(settings.schema().profileTable())) {
            return e;
        }
        return SearchPath.inTransaction(connection, () -> ProfileTarget.read(connection, settings.schema()))
                .filter(t -> !t.configured()).map(t -> e.with(t.hint())).orElse(e);
    }

    /**
     * A snapshot that timed out waiting for a lock that a session named in pg_locks holds: what is known
     * instead of a bare "cannot check" — the session, the fix, and the signups counted so far.
     */
    private static Optional<CannotCheckException> blocked(SQLException e, List<Blocker> blockers,
                                                          Optional<CounterReading> counters, Connection connection,
                                                          Settings settings) throws SQLException {
        if (!LOCK_NOT_AVAILABLE.equals(e.getSQLState()) && !QUERY_CANCELED.equals(e.getSQLState())
                || blockers.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder message = new StringBuilder("P0 signups_blocked: cannot read the tables, and no signup can"
                + " write them: ");
        message.append(String.join("; ", blockers.stream().map(SignupsBlockedCheck::describe).toList()));
        message.append(". Fix: ").append(String.join(" ", blockers.stream().map(Blocker::fix).toList()))
                .append(" (pg_terminate_backend ends a session and rolls its transaction back, pg_cancel_backend"
                        + " only a waiting statement), then check again. Unknown until then: ghosts, orphans and"
                        + " row counts (the tables could not be read; their series keep the last run's values).");
        // The snapshot's transaction was rolled back and the connection restored when it closed.
        Optional<SignupLedger> ledger = counters.isPresent() ? SearchPath.inTransaction(connection,
                () -> SignupLedger.read(connection, settings.history().schema(), settings.target()))
                : Optional.empty();
        if (counters.isPresent() && ledger.isPresent()) {
            long attempted = counters.get().signups().inserts() - ledger.get().counters().inserts()
                    - ledger.get().canaryInserts();
            message.append(" Identity inserts since the last check at ").append(ledger.get().checkedAt())
                    .append(": ").append(Math.max(0, attempted)).append('.');
        }
        return Optional.of(new CannotCheckException(message.toString(), e, blockers.size()));
    }
}
