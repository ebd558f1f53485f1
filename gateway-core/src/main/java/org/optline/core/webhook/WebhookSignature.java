package org.optline.core.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a webhook request, sent as {@value #HEADER}:
 * {@code t=<unix seconds>,v1=<hex HMAC-SHA256>} with one {@code v1} per signing secret (two
 * during a rotation's overlap). Each is the HMAC-SHA256, keyed with the secret's UTF-8 bytes, of
 * the ASCII timestamp, a full stop, and the raw request body. A receiver recomputes it with its
 * secret, compares in constant time, and refuses a timestamp more than five minutes from its own
 * clock, so that a captured request cannot be replayed later.
 */
public final class WebhookSignature {
    public static final String HEADER = "Optline-Signature";

    private WebhookSignature() {}

    /** The header value for a body sent at {@code timestampSeconds}, signed with each secret. */
    public static String header(long timestampSeconds, byte[] body, List<WebhookSecret> secrets) {
        StringBuilder header = new StringBuilder("t=").append(timestampSeconds);
        for (WebhookSecret secret : secrets) {
            header.append(",v1=").append(sign(secret.secret(), timestampSeconds, body));
        }
        return header.toString();
    }

    /** The hex HMAC-SHA256 of {@code timestamp.body} under {@code secret}. */
    public static String sign(String secret, long timestampSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestampSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }
}
