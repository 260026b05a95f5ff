package io.ghostwatch.path;

import io.ghostwatch.sql.Identifier;
import io.ghostwatch.sql.QualifiedName;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A contract the catalog cannot show, declared in configuration: the application writes a row keyed by the
 * identity's id itself after signup (an onboarding step, a customer record), and must have within {@code grace}.
 * Identities created more than {@code grace} ago (within the window) without one are its missing rows.
 *
 * @param name      a label value: lower case, digits and underscores, so the series stay bounded and readable
 * @param table     where the row is
 * @param keyColumn the column that holds the identity's id
 * @param grace     how long after signup the application may take to write it
 */
public record DeclaredContract(String name, QualifiedName table, Identifier keyColumn, Duration grace) {

    private static final Pattern ONE = Pattern.compile(
            "\\s*([a-z][a-z0-9_]{0,39})\\s*=\\s*(.+?)\\s*\\(\\s*(.+?)\\s*\\)\\s*(?:after\\s+(\\d+)\\s*(s|m|h|d))?\\s*");

    /** {@code describe()}: what it asks, in one line. */
    public String describe() {
        return name + " (" + table + " keyed by " + keyColumn.name() + ", within " + Durations.text(grace)
                + " of signup)";
    }

    /**
     * Parses {@code name=schema.table(key_column) after 15m; other=…} (grace in s, m, h or d; 0s when left out).
     * Problems are added, naming the key and the part, and nothing of a bad entry is kept.
     */
    public static List<DeclaredContract> parse(String key, Optional<String> text, List<String> problems) {
        List<DeclaredContract> contracts = new ArrayList<>();
        for (String entry : text.map(String::trim).filter(t -> !t.isEmpty()).map(t -> t.split(";"))
                .orElse(new String[0])) {
            if (entry.isBlank()) {
                continue;
            }
            Matcher m = ONE.matcher(entry);
            if (!m.matches()) {
                problems.add(key + ": '" + entry.trim() + "' is not name=schema.table(key_column) after 15m (name:"
                        + " lower case letters, digits, _)");
                continue;
            }
            try {
                Duration grace = m.group(4) == null ? Duration.ZERO : Duration.of(Long.parseLong(m.group(4)),
                        switch (m.group(5).toLowerCase(Locale.ROOT)) {
                            case "s" -> java.time.temporal.ChronoUnit.SECONDS;
                            case "m" -> java.time.temporal.ChronoUnit.MINUTES;
                            case "h" -> java.time.temporal.ChronoUnit.HOURS;
                            default -> java.time.temporal.ChronoUnit.DAYS;
                        });
                if (contracts.stream().anyMatch(c -> c.name().equals(m.group(1)))) {
                    problems.add(key + ": the contract " + m.group(1) + " is declared twice");
                    continue;
                }
                contracts.add(new DeclaredContract(m.group(1), QualifiedName.parse(m.group(2)),
                        Identifier.of(m.group(3)), grace));
            } catch (IllegalArgumentException e) {
                problems.add(key + ": " + m.group(1) + ": " + e.getMessage());
            }
        }
        return List.copyOf(contracts);
    }

    /** Durations as configuration writes them. */
    private static final class Durations {
        static String text(Duration d) {
            long s = d.toSeconds();
            return s % 86400 == 0 && s > 0 ? s / 86400 + "d" : s % 3600 == 0 && s > 0 ? s / 3600 + "h"
                    : s % 60 == 0 && s > 0 ? s / 60 + "m" : s + "s";
        }
    }
}
