package io.ghostwatch.testing;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads sample values out of Prometheus text exposition, filtered by one label. */
public final class Exposition {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)})?\\s+(\\S+)");

    private Exposition() {
    }

    /** Name → value of every sample whose labels include {@code label="value"}. */
    public static Map<String, Double> samples(String text, String label, String value) {
        Map<String, Double> out = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (!line.startsWith("#") && m.find()) {
                String labels = m.group(3) == null ? "" : m.group(3);
                if (labels.contains(label + "=\"" + value + "\"")) {
                    out.put(m.group(1), parse(m.group(4)));
                }
            }
        }
        return out;
    }

    private static double parse(String v) {
        return switch (v) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(v);
        };
    }
}
