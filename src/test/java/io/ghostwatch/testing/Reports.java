package io.ghostwatch.testing;

import com.fasterxml.jackson.databind.JsonNode;

/** Reading a check's JSON report in tests. */
public final class Reports {

    private Reports() {
    }

    /** The report's first finding of that code; null when it has none. */
    public static JsonNode finding(JsonNode report, String code) {
        for (JsonNode f : report.get("findings")) {
            if (f.get("code").asText().equals(code)) {
                return f;
            }
        }
        return null;
    }
}
