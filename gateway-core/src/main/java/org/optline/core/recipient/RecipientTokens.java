package org.optline.core.recipient;

import com.github.benmanes.caffeine.cache.Cache;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.optline.core.concurrent.Caches;

/**
 * The keyed hash that stands in for a number wherever a store keys by recipient: HMAC-SHA256
 * under a key derived from the {@link RecipientSecret}, cut to {@value #LENGTH} bytes. Without
 * the secret, a store's keys cannot be tested against a list of numbers (the space of numbers
 * is small enough to try them all against a plain hash). 16 bytes keep collisions out of reach
 * (2^64 numbers before one is likely) while keeping keys short.
 */
public final class RecipientTokens {
    /** The length of a token in bytes. */
    public static final int LENGTH = 16;
    /**
     * The same recipients come back all day (alerts, codes), and a hash costs about a
     * microsecond; a bounded cache keeps the usual ones. Tokens are not secret on their own.
     */
    public static final int DEFAULT_CACHED = 100_000;

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;
    private final Cache<PhoneNumber, byte[]> recent;

    public RecipientTokens(RecipientSecret secret) {
        this(secret, DEFAULT_CACHED);
    }

    public RecipientTokens(RecipientSecret secret, int cached) {
        this.key = new SecretKeySpec(secret.tokenKey(), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
        this.recent = cached > 0 ? Caches.onCallingThread().maximumSize(cached).build() : null;
    }

    /** The token of a number; the array is shared, never change it. */
    public byte[] of(PhoneNumber number) {
        if (recent == null) {
            return compute(number);
        }
        return recent.get(number, this::compute);
    }

    /** The token, always computed (for the benchmark of the uncached cost). */
    byte[] compute(PhoneNumber number) {
        Mac mac = macs.get();
        byte[] full = mac.doFinal(number.e164().getBytes(StandardCharsets.US_ASCII));
        return Arrays.copyOf(full, LENGTH);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }
}
