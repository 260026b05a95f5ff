package io.ghostwatch.metrics;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Prometheus text exposition format (0.0.4) for a push: HELP, TYPE and one sample per series. */
public final class PrometheusText {

    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusText() {
    }

    /** No labels in the body: the Pushgateway's grouping key ({@code job}, {@code target}) supplies them. */
    public static String render(RunMetrics metrics) {
        StringBuilder out = new StringBuilder();
        Set<String> described = new HashSet<>();
        for (Map.Entry<Metric, Double> e : metrics.values().entrySet()) {
            Metric m = e.getKey();
            // Series of one name (told apart by a label) follow each other in the enum: HELP and TYPE once.
            if (described.add(m.prometheusName())) {
                out.append("# HELP ").append(m.prometheusName()).append(' ').append(escapeHelp(m.help()))
                        .append('\n');
                out.append("# TYPE ").append(m.prometheusName()).append(m.counter() ? " counter\n" : " gauge\n");
            }
            out.append(m.prometheusName());
            m.label().ifPresent(l -> out.append('{').append(l.getKey()).append("=\"").append(l.getValue())
                    .append("\"}"));
            out.append(' ').append(format(e.getValue())).append('\n');
        }
        return out.toString();
    }

    static String format(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    private static String escapeHelp(String help) {
        return help.replace("\\", "\\\\").replace("\n", "\\n");
    }
}
