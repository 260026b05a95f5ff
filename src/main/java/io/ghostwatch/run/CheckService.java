package io.ghostwatch.run;

import io.agroal.api.AgroalDataSource;
import io.ghostwatch.canary.CanaryProbe;
import io.ghostwatch.canary.CanaryResult;
import io.ghostwatch.diagnose.Cause;
import io.ghostwatch.diagnose.Diagnoser;
import io.ghostwatch.judge.Evidence;
import io.ghostwatch.snapshot.HistoryTables;
import io.ghostwatch.config.GhostwatchConfig;
import io.ghostwatch.config.Settings;
import io.ghostwatch.judge.Judge;
import io.ghostwatch.judge.Verdict;
import io.ghostwatch.snapshot.SchemaProblemException;
import io.ghostwatch.snapshot.Snapshot;
import io.ghostwatch.snapshot.SnapshotReader;
import io.ghostwatch.snapshot.SnapshotRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** One check: config → snapshot, causes and canary side by side → verdict. Outputs (report, metrics, history, notifications) come after it. */
@ApplicationScoped
public class CheckService {

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
        DatabaseLocation where = location();
        Instant started = Instant.now();
        SnapshotRequest request = new SnapshotRequest(settings.policy().oldAfter(), settings.policy().recentWindow(),
                settings.ghostSampleSize(), settings.statementTimeout(), settings.lockTimeout(),
                settings.history().enabled()
                        ? Optional.of(new HistoryTables(settings.history().table("check_runs"),
                                settings.history().table("scan_state"), settings.target()))
                        : Optional.empty(), settings.fullScanInterval());
        Evidence evidence;
        try (Connection connection = dataSource.get().getConnection()) {
            Snapshot snapshot = new SnapshotReader(settings.schema(),
                    Optional.of(dataSource.get()::getConnection), settings.fullScanParallelism())
                    .read(connection, request);
            // Causes on every check: a failing signup leaves no ghost for the counts to show.
            List<Cause> causes = new Diagnoser(settings.schema()).diagnose(connection, snapshot);
            Optional<CanaryResult> canary = settings.canary().enabled()
                    ? Optional.of(new CanaryProbe(settings.schema(), settings.canary(),
                            settings.notifications().emailColumn()).run(connection))
                    : Optional.empty();
            evidence = new Evidence(snapshot, canary, causes);
        } catch (SchemaProblemException e) {
            throw new CannotCheckException(String.join("; ", e.problems()), e);
        } catch (SQLException | RuntimeException e) {
            throw new CannotCheckException(DatabaseErrors.explain(e, where, settings), e);
        }
        Verdict verdict = Judge.judge(evidence, settings.policy(), settings.schema());
        return new CheckOutcome(settings.target(), where, started, Instant.now(), evidence, verdict);
    }
}
