package org.optline.storage.rocksdb;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.optline.core.concurrent.Caches;
import org.optline.core.recipient.RecipientKeyring;
import org.optline.core.recipient.RecipientSecret;
import org.optline.core.storage.StorageException;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * Recipients' data keys in a small RocksDB database of their own, in the keys directory beside
 * the {@link RecipientSecret} and never in the store: a backup of the store holds no data key,
 * so once a recipient is erased their numbers in any backup stay sealed. Each key is stored
 * wrapped (AES-GCM under the secret's wrapping key, the token authenticated with it), so the
 * keyring copied without the secret opens nothing either.
 *
 * <p>A new key is written without a sync and made durable by {@link #syncIfWritten}, which the
 * store's writer calls before each group commit: one extra fsync for a group that met new
 * recipients, none otherwise, and no acknowledged write ever depends on a key that a crash
 * could lose. An erasure deletes the key with a sync, then flushes and compacts its range, so
 * that no table file or log of the keyring keeps it.
 */
final class RocksRecipientKeyring implements RecipientKeyring, AutoCloseable {
    static {
        RocksDB.loadLibrary();
    }

    /** The keyring's directory in the keys directory. */
    static final String DIRECTORY = "recipient-keys";
    private static final int KEY_BYTES = 32;
    private static final int NONCE = 12;
    /** The data keys of the recipients in use now; a miss costs one point read of the keyring. */
    private static final int CACHED = 100_000;
    private static final long KEYRING_WRITE_BUFFER = 4L << 20;

    private final Path directory;
    private final Options options;
    private final RocksDB db;
    private final SecretKeySpec wrapping;
    private final WriteOptions unsynced = new WriteOptions();
    private final WriteOptions synced = new WriteOptions().setSync(true);
    private final AtomicBoolean written = new AtomicBoolean();
    private final SecureRandom random = new SecureRandom();
    private final Cache<ByteBuffer, byte[]> keys = Caches.onCallingThread().maximumSize(CACHED).build();

    private RocksRecipientKeyring(Path directory, Options options, RocksDB db, RecipientSecret secret) {
        this.directory = directory;
        this.options = options;
        this.db = db;
        this.wrapping = new SecretKeySpec(secret.wrappingKey(), "AES");
    }

    /**
     * Opens the keyring in the keys directory; creates it only when {@code create} (a new store,
     * or one being moved to sealed numbers). A store that exists with no keyring is refused.
     */
    static RocksRecipientKeyring open(Path keysDirectory, RecipientSecret secret, boolean create) {
        Path directory = keysDirectory.resolve(DIRECTORY);
        if (!create) {
            requirePresent(keysDirectory);
        }
        // Small: a key is about 60 bytes, and a write buffer is preallocated on disk as log space,
        // which on a small disk shared with the store would be taken from the store.
        Options options = new Options().setCreateIfMissing(create).setParanoidChecks(true)
                .setWriteBufferSize(KEYRING_WRITE_BUFFER).setKeepLogFileNum(2);
        try {
            RecipientSecret.createPrivateDirectory(keysDirectory);
            return new RocksRecipientKeyring(directory, options, RocksDB.open(options, directory.toString()), secret);
        } catch (RocksDBException | java.io.IOException e) {
            options.close();
            throw new StorageException("cannot open the recipients' key store " + directory + ": " + e.getMessage()
                    + ". Nothing was changed", e);
        }
    }

    /** Refuses a keys directory without a keyring, for a store that exists. */
    static void requirePresent(Path keysDirectory) {
        Path directory = keysDirectory.resolve(DIRECTORY);
        if (!Files.isRegularFile(directory.resolve("CURRENT"))) {
            throw new StorageException("the recipients' key store " + directory + " is missing, but the store exists:"
                    + " without it no number in the store can be read. Nothing was changed; restore the keys directory"
                    + " from your key backup (or point keys.dir at it), then start again", null);
        }
    }

    @Override
    public byte[] dataKey(byte[] token) {
        // Caffeine computes once per key at a time: two threads never make two keys for one recipient.
        return keys.get(ByteBuffer.wrap(token.clone()), t -> loadOrMake(t.array()));
    }

    @Override
    public byte[] existingDataKey(byte[] token) {
        byte[] cached = keys.getIfPresent(ByteBuffer.wrap(token));
        if (cached != null) {
            return cached;
        }
        byte[] key = load(token);
        if (key != null) {
            keys.put(ByteBuffer.wrap(token.clone()), key);
        }
        return key;
    }

    private byte[] loadOrMake(byte[] token) {
        byte[] key = load(token);
        if (key != null) {
            return key;
        }
        key = new byte[KEY_BYTES];
        random.nextBytes(key);
        try {
            db.put(unsynced, token, wrap(token, key));
        } catch (RocksDBException e) {
            throw new StorageException("cannot write the recipients' key store " + directory + ": " + e.getMessage(), e);
        }
        written.set(true);
        return key;
    }

    private byte[] load(byte[] token) {
        try {
            byte[] wrapped = db.get(token);
            return wrapped == null ? null : unwrap(token, wrapped);
        } catch (RocksDBException e) {
            throw new StorageException("cannot read the recipients' key store " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Makes the keys written since the last call durable; the store's writer calls it before each group commit. */
    void syncIfWritten() {
        if (!written.getAndSet(false)) {
            return;
        }
        try {
            db.syncWal();
        } catch (RocksDBException e) {
            written.set(true);
            throw new StorageException("cannot sync the recipients' key store " + directory + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void destroy(byte[] token) {
        try {
            db.delete(synced, token);
            keys.invalidate(ByteBuffer.wrap(token));
            // The delete alone leaves the wrapped key in a log or table file until compaction; a
            // flush and a compaction of its one key write it out of every file the keyring keeps.
            try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                db.flush(flush);
            }
            db.compactRange(token, Arrays.copyOf(token, token.length + 1));
        } catch (RocksDBException e) {
            throw new StorageException("cannot destroy a recipient's key in " + directory + ": " + e.getMessage(), e);
        }
    }

    byte[] wrap(byte[] token, byte[] key) {
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, wrapping, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(token);
            byte[] sealed = cipher.doFinal(key);
            return ByteBuffer.allocate(NONCE + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has AES-GCM", e);
        }
    }

    byte[] unwrap(byte[] token, byte[] wrapped) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, wrapping, new GCMParameterSpec(128, wrapped, 0, NONCE));
            cipher.updateAAD(token);
            return cipher.doFinal(wrapped, NONCE, wrapped.length - NONCE);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new StorageException("a key in the recipients' key store " + directory + " does not open with the"
                    + " recipient secret: the keys directory and the secret do not belong together", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has AES-GCM", e);
        }
    }

    @Override
    public void close() {
        try {
            db.syncWal();
        } catch (RocksDBException e) {
            // Closing anyway: every key an acknowledged write used was synced by its group.
        }
        unsynced.close();
        synced.close();
        db.close();
        options.close();
    }
}
