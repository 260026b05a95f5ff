package io.ghostwatch.notify;

/** Where a notification goes. */
public enum Channel {
    SLACK, WEBHOOK;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Channel fromWire(String name) {
        return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }
}
