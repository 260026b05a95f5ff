package io.ghostwatch.cli;

import io.ghostwatch.config.InvalidConfigurationException;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Prints failures as one line on stderr; the stack trace only with {@code --verbose}. */
public final class Errors {

    /** SmallRye's "The config property X with the config value "Y" threw an Exception whilst being converted". */
    private static final Pattern CONVERSION = Pattern.compile(
            "The config property (\\S+) with the config value \"(.*?)\" threw an Exception whilst being converted"
                    + "\\s*(.*)", Pattern.DOTALL);
    private static final Pattern SRCFG_CODE = Pattern.compile("SRCFG\\d+:\\s*");

    private Errors() {
    }

    public static void print(PrintStream err, String message, Throwable cause, boolean verbose) {
        PrintWriter writer = new PrintWriter(err, true);
        print(writer, message, cause, verbose);
    }

    public static void print(PrintWriter err, String message, Throwable cause, boolean verbose) {
        err.println("ghostwatch: " + message);
        if (verbose && cause != null) {
            cause.printStackTrace(err);
        }
        err.flush();
    }

    /** A start-up failure (configuration that could not be converted, mostly) as one readable line. */
    public static String describeStartupFailure(Throwable failure) {
        for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof InvalidConfigurationException ice) {
                return "configuration error: " + String.join("; ", ice.problems());
            }
            String name = c.getClass().getName();
            if (name.endsWith("ConfigValidationException") || name.endsWith("ConfigurationException")) {
                return "configuration error: " + configProblems(c.getMessage());
            }
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return "could not start: " + root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static String configProblems(String message) {
        List<String> problems = new ArrayList<>();
        for (String line : message.split("\\R")) {
            String text = SRCFG_CODE.matcher(line.trim()).replaceAll("");
            if (text.isEmpty() || text.startsWith("Configuration validation failed")) {
                continue;
            }
            Matcher m = CONVERSION.matcher(text);
            if (m.find()) {
                String reason = m.group(3).replaceFirst("^[\\w.$]+(Exception|Error):\\s*", "").trim();
                if (reason.toLowerCase(java.util.Locale.ROOT).contains("duration")) {
                    reason += " (use a duration such as 30s, 5m, 24h or PT24H)";
                }
                problems.add(m.group(1) + ": " + (reason.isEmpty() ? "invalid value \"" + m.group(2) + "\"" : reason));
            } else {
                problems.add(text);
            }
        }
        return problems.isEmpty() ? message.replaceAll("\\s*\\R\\s*", " ") : String.join("; ", problems);
    }
}
