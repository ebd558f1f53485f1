package org.optline.storage.kafka;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.optline.core.recipient.PhoneNumber;

/**
 * A recipient's key in Kafka: the first 16 bytes of an HMAC-SHA256 of the number under the
 * cluster's secret, never the number, so that topic keys, partition numbers and the brokers'
 * logs of keys show no phone number. Its partition follows from the key alone, the same on every
 * node.
 */
final class RecipientKeys {
    static final int LENGTH = 16;
    private final SecretKeySpec key;

    RecipientKeys(byte[] secret) {
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    byte[] of(PhoneNumber recipient) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] full = mac.doFinal(recipient.e164().getBytes(StandardCharsets.UTF_8));
            byte[] kept = new byte[LENGTH];
            System.arraycopy(full, 0, kept, 0, LENGTH);
            return kept;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    static String hex(byte[] key) {
        return HexFormat.of().formatHex(key, 0, LENGTH);
    }

    /** The partition of a recipient's records among {@code partitions}. */
    static int partition(byte[] key, int partitions) {
        return Math.floorMod(ByteBuffer.wrap(key, 0, 8).getLong(), partitions);
    }
}
