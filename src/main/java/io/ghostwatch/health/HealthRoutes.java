package io.ghostwatch.health;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** {@code /q/health/sync}: a short name for SmallRye Health's {@code /q/health/group/sync}. */
@ApplicationScoped
public class HealthRoutes {

    void routes(@Observes Router router) {
        router.get("/q/health/sync").handler(ctx -> ctx.reroute("/q/health/group/sync"));
    }
}
