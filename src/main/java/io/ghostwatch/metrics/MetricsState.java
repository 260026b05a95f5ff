package io.ghostwatch.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The process's current series for {@code /q/metrics}: Micrometer gauges that read the values of the latest
 * run. A gauge appears with the first run that sets it, so a fresh process exports nothing it has not measured.
 */
@ApplicationScoped
public class MetricsState {

    @Inject
    MeterRegistry registry;


    private final Map<Metric, Double> current = new ConcurrentHashMap<>();
    /** The findings of the last complete run, each a gauge of 1 while it stands. */
    private final Map<FindingSeries, Gauge> findings = new HashMap<>();
    /** The other contracts' missing rows of the last complete run, by contract. */
    private final Map<String, Double> contractValues = new ConcurrentHashMap<>();
    private final Map<String, Gauge> contracts = new HashMap<>();
    private volatile String target;

    public synchronized void record(String target, RunMetrics metrics) {
        this.target = target;
        for (Map.Entry<Metric, Double> e : metrics.values().entrySet()) {
            if (current.put(e.getKey(), e.getValue()) == null) {
                register(e.getKey());
            }
        }
        if (metrics.complete()) {
            replaceFindings(metrics.findings());
            replaceContracts(metrics.contracts());
        }
    }

    /** As the findings: a contract the run no longer measured is removed (unknown is not zero). */
    private void replaceContracts(List<ContractSeries> now) {
        Map<String, Double> values = new HashMap<>();
        now.forEach(c -> values.put(c.contract(), c.missing()));
        contracts.entrySet().removeIf(e -> {
            if (values.containsKey(e.getKey())) {
                return false;
            }
            registry.remove(e.getValue());
            contractValues.remove(e.getKey());
            return true;
        });
        contractValues.putAll(values);
        for (String name : values.keySet()) {
            contracts.computeIfAbsent(name, k -> Gauge.builder(ContractSeries.NAME, contractValues,
                            v -> v.getOrDefault(k, Double.NaN))
                    .description(ContractSeries.HELP)
                    .tags("target", target, "contract", k)
                    .strongReference(true)
                    .register(registry));
        }
    }

    /**
     * A finding the run no longer made is removed from the registry, so the next scrape no longer has it and
     * Prometheus marks the series stale: its alert resolves.
     */
    private void replaceFindings(List<FindingSeries> now) {
        findings.entrySet().removeIf(e -> {
            if (now.contains(e.getKey())) {
                return false;
            }
            registry.remove(e.getValue());
            return true;
        });
        for (FindingSeries f : now) {
            findings.computeIfAbsent(f, k -> Gauge.builder(FindingSeries.NAME, () -> 1.0)
                    .description(FindingSeries.HELP)
                    .tags("target", target, "code", k.code(), "priority", k.priority(), "step", k.step())
                    .strongReference(true)
                    .register(registry));
        }
    }

    private void register(Metric metric) {
        if (metric.counter()) {
            registerCounter(metric);
            return;
        }
        Gauge.Builder<Map<Metric, Double>> gauge = Gauge.builder(metric.prometheusName(), current,
                        values -> values.getOrDefault(metric, Double.NaN))
                .description(metric.help())
                .tag("target", target)
                .strongReference(true);
        metric.label().ifPresent(l -> gauge.tag(l.getKey(), l.getValue()));
        gauge.register(registry);
    }

    /** Micrometer names counters without {@code _total} and the Prometheus registry adds it back. */
    private void registerCounter(Metric metric) {
        FunctionCounter.builder(metric.prometheusName().replaceFirst("_total$", ""), current,
                        values -> values.getOrDefault(metric, 0.0))
                .description(metric.help())
                .tag("target", target)
                .register(registry);
    }
}
