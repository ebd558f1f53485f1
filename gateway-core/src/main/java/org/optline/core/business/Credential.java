package org.optline.core.business;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A secret (an API key or the platform credential) as it is kept: only its SHA-256 hash.
 * Presented keys are hashed and compared in constant time.
 */
public final class Credential {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final byte[] sha256;

    private Credential(byte[] sha256) {
        this.sha256 = sha256;
    }

    /** From the hex SHA-256 hash found in the configuration. */
    public static Credential ofSha256Hex(String hex) {
        byte[] hash;
        try {
            hash = HexFormat.of().parseHex(hex.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a hex SHA-256 hash");
        }
        if (hash.length != 32) {
            throw new IllegalArgumentException("a SHA-256 hash has 64 hex digits, this one has " + hex.trim().length());
        }
        return new Credential(hash);
    }

    /** From a key in clear, which is hashed at once and not kept. */
    public static Credential ofSecret(String secret) {
        return new Credential(sha256(secret));
    }

    /** A new random key: 32 bytes, URL-safe base64, prefixed so that it is recognisable in a leak scan. */
    public static String generateSecret(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The hex SHA-256 of a secret, as the configuration stores it. */
    public static String sha256Hex(String secret) {
        return HexFormat.of().formatHex(sha256(secret));
    }

    /** Hashes a presented key once, so that it can be compared against many credentials. */
    public static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Constant-time comparison against an already hashed presented key. */
    public boolean matchesHash(byte[] presentedSha256) {
        return MessageDigest.isEqual(sha256, presentedSha256);
    }

    public boolean matches(String presented) {
        return matchesHash(sha256(presented));
    }

    /**
     * The key's id for operators: the first 8 hex digits of its SHA-256 (what
     * {@code printf %s "$key" | sha256sum | cut -c1-8} prints). Names a key without revealing it.
     */
    public String shortId() {
        return BusinessDirectory.shortHex(sha256);
    }

    @Override
    public String toString() {
        return "Credential[sha256=…]";
    }
}
