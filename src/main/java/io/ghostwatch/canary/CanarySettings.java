package io.ghostwatch.canary;

import io.ghostwatch.sql.Identifier;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Validated canary settings; {@code values} are identity columns and literal values bound as parameters. */
public record CanarySettings(boolean enabled, Optional<Identifier> role, Duration timeout,
                             Map<Identifier, String> values) {

    public CanarySettings {
        values = Map.copyOf(values);
    }

    public static CanarySettings off() {
        return new CanarySettings(false, Optional.empty(), Duration.ofSeconds(5), Map.of());
    }
}
