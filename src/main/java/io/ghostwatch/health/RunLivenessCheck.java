package io.ghostwatch.health;

import io.ghostwatch.run.CheckCycle;
import io.ghostwatch.run.CheckService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Liveness: DOWN only when a run has been stuck far beyond every timeout it has (statement timeout, socket
 * timeout), so Kubernetes restarts a wedged monitor. A database outage is not a liveness failure.
 */
@Liveness
@ApplicationScoped
public class RunLivenessCheck implements HealthCheck {

    /** Beyond the 120 s socket timeout and the connect and acquisition timeouts together. */
    private static final Duration MARGIN = Duration.ofMinutes(3);

    @Inject
    CheckCycle cycle;

    @Inject
    CheckService checks;

    @Override
    public HealthCheckResponse call() {
        Optional<Instant> since = cycle.inProgressSince();
        Duration limit = checks.settings().statementTimeout().plus(MARGIN);
        if (since.isPresent() && Duration.between(since.get(), Instant.now()).compareTo(limit) > 0) {
            return HealthCheckResponse.named("ghostwatch-run").down()
                    .withData("runInProgressSince", since.get().toString())
                    .withData("limitSeconds", limit.toSeconds()).build();
        }
        return HealthCheckResponse.named("ghostwatch-run").up().build();
    }
}
