package io.ghostwatch.health;

import io.ghostwatch.judge.Priority;
import io.ghostwatch.run.CheckCycle;
import io.ghostwatch.run.CheckOutcome;
import io.ghostwatch.run.RunRecord;
import io.ghostwatch.snapshot.Snapshot;
import io.smallrye.health.api.HealthGroup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import java.util.Optional;

/**
 * The sync verdict as its own health group ({@code /q/health/sync}, also {@code /q/health/group/sync}):
 * DOWN at P0, or while the latest run could not check, with the numbers as data. Deliberately not part of
 * readiness: a sick database must not take its own monitor out of service.
 */
@HealthGroup("sync")
@ApplicationScoped
public class SyncHealthCheck implements HealthCheck {

    @Inject
    CheckCycle cycle;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("ghostwatch-sync");
        Optional<RunRecord> last = cycle.last();
        if (last.isEmpty()) {
            return b.down().withData("state", "no completed run yet").build();
        }
        RunRecord run = last.get();
        b.withData("target", run.target()).withData("finishedAt", run.finishedAt().toString());
        if (run.failure().isPresent()) {
            return b.down().withData("state", "cannot check")
                    .withData("error", run.failure().get().getMessage()).build();
        }
        CheckOutcome o = run.outcome().orElseThrow();
        Snapshot s = o.snapshot();
        Priority p = o.verdict().priority();
        b.withData("state", "checked")
                .withData("priority", p.name())
                .withData("ghosts", s.ghosts().total())
                .withData("ghostsOld", s.ghosts().old())
                .withData("orphanedProfiles", s.orphans().unhandled())
                .withData("parityDelta", s.parityDelta())
                .withData("triggerPresent", s.trigger().present())
                .withData("triggerEnabled", s.trigger().fires());
        return (p == Priority.P0 ? b.down() : b.up()).build();
    }
}
