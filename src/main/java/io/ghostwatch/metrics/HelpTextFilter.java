package io.ghostwatch.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Drops double quotes from meter descriptions. Micrometer's JVM binders put quotes in their HELP text and the
 * Prometheus simpleclient escapes them as {@code \"}, which the text format does not allow: strict parsers
 * ({@code promtool check metrics}) then reject the whole {@code /q/metrics} page.
 */
@Singleton
public class HelpTextFilter {

    @Produces
    @Singleton
    MeterFilter plainHelpText() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                String description = id.getDescription();
                if (description == null || description.indexOf('"') < 0) {
                    return id;
                }
                return new Meter.Id(id.getName(), io.micrometer.core.instrument.Tags.of(id.getTagsAsIterable()),
                        id.getBaseUnit(), description.replace("\"", ""), id.getType());
            }
        };
    }
}
