package io.ghostwatch.judge;

import java.time.Duration;

/** Short human durations for messages: {@code 45s}, {@code 12m 5s}, {@code 24h}, {@code 3d 4h}. */
public final class Durations {

    private Durations() {
    }

    public static String human(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s >= 2 * 86_400) {
            return join(s / 86_400, "d", (s % 86_400) / 3600, "h");
        }
        if (s >= 3600) {
            return join(s / 3600, "h", (s % 3600) / 60, "m");
        }
        if (s >= 60) {
            return join(s / 60, "m", s % 60, "s");
        }
        return s + "s";
    }

    private static String join(long major, String majorUnit, long minor, String minorUnit) {
        return minor == 0 ? major + majorUnit : major + majorUnit + " " + minor + minorUnit;
    }
}
