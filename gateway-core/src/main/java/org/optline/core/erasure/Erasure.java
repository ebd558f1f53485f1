package org.optline.core.erasure;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.optline.core.recipient.PhoneNumber;

/**
 * The id under which an erasure is recorded: a keyed hash (HMAC-SHA256) of the number, so the
 * record says that this person was erased, and when, without holding the number in clear; with
 * the number in hand (a later request from the person) the same id is found again.
 */
public final class Erasure {
    private Erasure() {}

    public static String id(byte[] secret, PhoneNumber recipient) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] hash = mac.doFinal(recipient.e164().getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }
}
