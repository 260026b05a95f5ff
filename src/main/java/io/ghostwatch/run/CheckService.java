package io.ghostwatch.run;

import io.agroal.api.AgroalDataSource;
import io.ghostwatch.canary.CanaryProbe;
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
import java.util.Optional;

/** One check: config → snapshot → verdict. Outputs (report, metrics, history, notifications) come after it. */
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

    /** Step 3C: when the trigger looks fine yet ghosts exist, every check says why, from the catalog. */
    public static boolean diagnosedDuringCheck(Snapshot snapshot) {
        return snapshot.ghosts().total() > 0 && snapshot.trigger().fires();
    }

    /** Step 3C's causes, read in a read-only transaction of their own. */
    public static java.util.List<io.ghostwatch.diagnose.Cause> diagnose(Connection c, Settings settings,
                                                                         Snapshot snapshot) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        c.setReadOnly(true);
        try {
            return new io.ghostwatch.diagnose.Diagnoser(settings.schema()).diagnose(c, snapshot.trigger());
        } finally {
            c.rollback();
            c.setReadOnly(false);
            c.setAutoCommit(autoCommit);
        }
    }

    public CheckOutcome check(Settings settings) throws CannotCheckException {
        if (jdbcUrl.isEmpty() || jdbcUrl.get().isBlank()) {
            throw new CannotCheckException("no database configured: set QUARKUS_DATASOURCE_JDBC_URL"
                    + " (e.g. jdbc:postgresql://db.example:5432/postgres), QUARKUS_DATASOURCE_USERNAME and"
                    + " QUARKUS_DATASOURCE_PASSWORD");
        }
        DatabaseLocation where = location();
        Instant started = Instant.now();
        SnapshotRequest request = new SnapshotRequest(settings.policy().oldAfter(), settings.policy().recentWindow(),
                settings.ghostSampleSize(), settings.statementTimeout(), settings.lockTimeout());
        Snapshot snapshot;
        try (Connection connection = dataSource.get().getConnection()) {
            snapshot = new SnapshotReader(settings.schema()).read(connection, request);
            if (diagnosedDuringCheck(snapshot)) {
                snapshot = snapshot.withDiagnosis(diagnose(connection, settings, snapshot));
            }
            if (settings.canary().enabled()) {
                snapshot = snapshot.withCanary(new CanaryProbe(settings.schema(), settings.canary(),
                        settings.notifications().emailColumn()).run(connection));
            }
        } catch (SchemaProblemException e) {
            throw new CannotCheckException(String.join("; ", e.problems()), e);
        } catch (SQLException | RuntimeException e) {
            throw new CannotCheckException(DatabaseErrors.explain(e, where, settings), e);
        }
        Verdict verdict = Judge.judge(snapshot, settings.policy(), settings.schema());
        return new CheckOutcome(settings.target(), where, started, Instant.now(), snapshot, verdict);
    }
}
