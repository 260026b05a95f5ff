package io.ghostwatch.metrics;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Prometheus text exposition format (0.0.4) for a push: HELP, TYPE and one sample per series. */
public final class PrometheusText {

    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusText() {
    }

    /**
     * No {@code target} or {@code job} in the body: the Pushgateway's grouping key supplies them. A complete run's
     * findings follow as {@code ghostwatch_finding}; with none, the name is absent and the PUT drops the old ones.
     */
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
        if (!metrics.findings().isEmpty()) {
            gaugeHeader(out, FindingSeries.NAME, FindingSeries.HELP);
            for (FindingSeries f : metrics.findings()) {
                out.append(FindingSeries.NAME).append("{code=\"").append(escapeLabel(f.code()))
                        .append("\",priority=\"").append(escapeLabel(f.priority())).append("\",step=\"")
                        .append(escapeLabel(f.step())).append("\"} 1\n");
            }
        }
        if (!metrics.contracts().isEmpty()) {
            gaugeHeader(out, ContractSeries.NAME, ContractSeries.HELP);
            for (ContractSeries c : metrics.contracts()) {
                out.append(ContractSeries.NAME).append("{contract=\"").append(escapeLabel(c.contract()))
                        .append("\"} ").append(format(c.missing())).append('\n');
            }
        }
        return out.toString();
    }

    private static void gaugeHeader(StringBuilder out, String name, String help) {
        out.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
        out.append("# TYPE ").append(name).append(" gauge\n");
    }

    private static String escapeLabel(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
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
