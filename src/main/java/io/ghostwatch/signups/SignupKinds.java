package io.ghostwatch.signups;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which kinds of signup committed since the last check against the seven days before (e-mail, phone, a guest's
 * anonymous sign-in, an OAuth provider by name): while some signups roll back, a kind that committed before and
 * not since is likely the failing one. Read only then, from committed identities.
 *
 * @param since   committed identities by kind since the last check
 * @param before  the same in the seven days before it
 * @param from    the last check's database time
 * @param to      this check's
 * @param unknown why the kinds could not be read (no column tells them apart, the monitor may not read them)
 */
public record SignupKinds(Map<String, Long> since, Map<String, Long> before, Instant from, Instant to,
                          Optional<String> unknown) {

    /**
     * Commits of a kind expected in the interval at the seven days' rate before a missing one is named: with 3
     * expected, none arriving by chance is under 5% (Poisson), so a quiet kind on a short interval is not blamed.
     */
    static final double EXPECTED_BEFORE_BLAME = 3.0;

    public SignupKinds {
        since = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(since));
        before = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(before));
    }

    public static SignupKinds unknown(Instant from, String why) {
        return new SignupKinds(Map.of(), Map.of(), from, from, Optional.of(why));
    }

    /**
     * Kinds that committed in the seven days before the last check and not since, though their rate then
     * expected at least {@link #EXPECTED_BEFORE_BLAME} in this interval.
     */
    public List<String> stalled() {
        double share = (double) java.time.Duration.between(from, to).toMillis()
                / SignupKindsReader.BEFORE.toMillis();
        List<String> stalled = new ArrayList<>();
        before.forEach((kind, n) -> {
            if (n * share >= EXPECTED_BEFORE_BLAME && since.getOrDefault(kind, 0L) == 0) {
                stalled.add(kind);
            }
        });
        return stalled;
    }

    /** {@code kinds committed since the last check: email 20; the 7 days before: email 40, phone 6; ...}. */
    public String describe() {
        if (unknown.isPresent()) {
            return "kinds of signup not read: " + unknown.get();
        }
        String text = "kinds committed since the last check: " + counts(since) + "; in the 7 days before: "
                + counts(before);
        List<String> stalled = stalled();
        return stalled.isEmpty() ? text : text + "; committed before and not since: " + String.join(", ", stalled)
                + " (likely the failing kind)";
    }

    private static String counts(Map<String, Long> byKind) {
        if (byKind.values().stream().allMatch(n -> n == 0)) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        byKind.forEach((kind, n) -> {
            if (n > 0) {
                parts.add(kind + " " + n);
            }
        });
        return String.join(", ", parts);
    }
}
