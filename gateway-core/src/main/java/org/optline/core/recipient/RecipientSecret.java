package org.optline.core.recipient;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.optline.core.storage.StorageException;

/**
 * The node's secret for recipients at rest: 32 random bytes in a file kept outside the data
 * directory (a copied data directory without it reveals no number). Two keys are derived from
 * it, one for the keyed hash that stands in for a number in the store's keys, one that wraps
 * each recipient's data key. Made once, with owner-only permissions; never made again for a
 * store that already exists (see {@link #load} and {@link #create}).
 */
public final class RecipientSecret {
    /** The file's name in the keys directory. */
    public static final String FILE_NAME = "recipient-secret";
    private static final int LENGTH = 32;

    private final byte[] tokenKey;
    private final byte[] wrappingKey;
    private final String fingerprint;

    private RecipientSecret(byte[] secret) {
        this.tokenKey = derive(secret, "optline recipient token v1");
        this.wrappingKey = derive(secret, "optline recipient key wrapping v1");
        this.fingerprint = HexFormat.of().formatHex(derive(secret, "optline recipient secret fingerprint v1"), 0, 8);
    }

    /** A secret from bytes (tests, benchmarks, another engine's own key store). */
    public static RecipientSecret of(byte[] secret) {
        if (secret.length != LENGTH) {
            throw new IllegalArgumentException("a recipient secret is " + LENGTH + " bytes");
        }
        return new RecipientSecret(secret.clone());
    }

    /** True when the keys directory holds a secret. */
    public static boolean exists(Path keysDirectory) {
        return Files.exists(keysDirectory.resolve(FILE_NAME));
    }

    /**
     * Reads the secret from the keys directory.
     *
     * @throws StorageException when it is missing or unreadable, saying what to do: a store that
     *     exists must never get a new secret, or every number in it would be lost
     */
    public static RecipientSecret load(Path keysDirectory) {
        Path file = keysDirectory.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            throw new StorageException("the recipient secret " + file + " is missing, but the store exists: without"
                    + " it no recipient in the store can be found or read. Nothing was changed; restore the keys"
                    + " directory from your key backup (or point keys.dir at it), then start again", null);
        }
        try {
            String text = Files.readString(file).trim();
            byte[] secret = HexFormat.of().parseHex(text);
            if (secret.length != LENGTH) {
                throw new IllegalArgumentException("wrong length");
            }
            return new RecipientSecret(secret);
        } catch (IOException | IllegalArgumentException e) {
            throw new StorageException("the recipient secret " + file + " cannot be read (" + e.getClass()
                    .getSimpleName() + "). Nothing was changed; restore it from your key backup", e);
        }
    }

    /**
     * Makes a new secret in the keys directory (owner-only: directory 0700, file 0600), fsync'd
     * before it is used. Only for a new store, or one being moved to sealed numbers.
     */
    public static RecipientSecret create(Path keysDirectory) {
        byte[] secret = new byte[LENGTH];
        new SecureRandom().nextBytes(secret);
        Path file = keysDirectory.resolve(FILE_NAME);
        try {
            createPrivateDirectory(keysDirectory);
            Path partial = keysDirectory.resolve(FILE_NAME + ".new");
            Files.deleteIfExists(partial);
            createPrivateFile(partial);
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap((HexFormat.of().formatHex(secret) + "\n")
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
                channel.force(true);
            }
            // Never over an existing secret: a race or a mistake must not replace the key of a store.
            Files.createLink(file, partial);
            Files.delete(partial);
            syncDirectory(keysDirectory);
        } catch (FileAlreadyExistsException e) {
            throw new StorageException("a recipient secret already exists in " + keysDirectory + "; it was not replaced",
                    e);
        } catch (IOException e) {
            throw new StorageException("cannot create the recipient secret in " + keysDirectory + ": " + e.getMessage(),
                    e);
        }
        return new RecipientSecret(secret);
    }

    /** Creates a directory readable by its owner only (where the file system knows permissions). */
    public static void createPrivateDirectory(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        Files.createDirectories(directory);
        try {
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: its own access control applies.
        }
    }

    private static void createPrivateFile(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
    }

    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some file systems cannot sync a directory; the file itself was synced.
        }
    }

    /** The key of the keyed hash of numbers. */
    byte[] tokenKey() {
        return tokenKey.clone();
    }

    /** The key that wraps recipients' data keys. */
    public byte[] wrappingKey() {
        return wrappingKey.clone();
    }

    /**
     * A short public fingerprint of the secret, stored with the store so that a start with the
     * wrong secret is refused instead of finding no one.
     */
    public String fingerprint() {
        return fingerprint;
    }

    /** Whether a stored fingerprint is this secret's, compared in constant time. */
    public boolean matches(String storedFingerprint) {
        return MessageDigest.isEqual(fingerprint.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                storedFingerprint.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private static byte[] derive(byte[] secret, String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }

    @Override
    public String toString() {
        return "RecipientSecret[" + fingerprint + "]";
    }
}
