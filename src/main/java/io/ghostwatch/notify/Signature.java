package io.ghostwatch.notify;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * {@code X-Ghostwatch-Signature: sha256=<hex>}, the HMAC-SHA256 of {@code <timestamp>.<body>} under the shared
 * secret. Signing the timestamp (sent as {@code X-Ghostwatch-Timestamp}) lets a receiver reject replays: a
 * valid signature with an old timestamp is a replay.
 */
public final class Signature {

    public static final String TIMESTAMP_HEADER = "X-Ghostwatch-Timestamp";
    public static final String SIGNATURE_HEADER = "X-Ghostwatch-Signature";

    private Signature() {
    }

    public static String sign(String secret, long timestampSeconds, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return "sha256=" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
