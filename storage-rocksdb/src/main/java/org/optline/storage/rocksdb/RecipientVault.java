package org.optline.storage.rocksdb;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.recipient.RecipientSecret;
import org.optline.core.recipient.RecipientTokens;
import org.optline.core.recipient.SealedNumbers;
import org.optline.core.storage.StorageException;

/**
 * What a store needs to keep recipients at rest, from the keys directory (outside the data
 * directory): the {@link RecipientSecret}, the {@link RocksRecipientKeyring} of data keys, and
 * the {@link SealedNumbers} made of them. A new store makes the secret if there is none; a store
 * that exists needs the secret it was made with (its fingerprint is stored with it) and never
 * gets a new one.
 */
final class RecipientVault implements AutoCloseable {
    private final RecipientSecret secret;
    private final RocksRecipientKeyring keyring;
    private final SealedNumbers numbers;
    /** Erasures destroy keys here: a synced delete, a flush and a compaction, off the store's writer. */
    private final ExecutorService shredder = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "optline-keyring");
        thread.setDaemon(true);
        return thread;
    });

    private RecipientVault(RecipientSecret secret, RocksRecipientKeyring keyring) {
        this.secret = secret;
        this.keyring = keyring;
        this.numbers = new SealedNumbers(new RecipientTokens(secret), keyring);
    }

    /** For a new store: the secret in the keys directory, made if there is none, and the keyring. */
    static RecipientVault forNewStore(Path keysDirectory) {
        RecipientSecret secret = RecipientSecret.exists(keysDirectory) ? RecipientSecret.load(keysDirectory)
                : RecipientSecret.create(keysDirectory);
        return new RecipientVault(secret, RocksRecipientKeyring.open(keysDirectory, secret, true));
    }

    /**
     * For a store that exists, made with the secret of {@code fingerprint}: refuses a missing or
     * different secret, and a missing keyring, with what to do.
     */
    static RecipientVault forExistingStore(Path keysDirectory, Path store, String fingerprint) {
        RecipientSecret secret = checkBelongs(keysDirectory, store, fingerprint);
        return new RecipientVault(secret, RocksRecipientKeyring.open(keysDirectory, secret, false));
    }

    /**
     * Checks, reading files only (no lock taken, nothing written), that the keys directory holds
     * the secret a store was made with and a keyring; answers the secret.
     */
    static RecipientSecret checkBelongs(Path keysDirectory, Path store, String fingerprint) {
        RecipientSecret secret = RecipientSecret.load(keysDirectory);
        if (!secret.matches(fingerprint)) {
            throw new StorageException("the recipient secret in " + keysDirectory + " (fingerprint "
                    + secret.fingerprint() + ") is not the one the store in " + store + " was made with (fingerprint "
                    + fingerprint + "). Nothing was changed; point keys.dir at that store's keys directory, or restore"
                    + " it from your key backup", null);
        }
        RocksRecipientKeyring.requirePresent(keysDirectory);
        return secret;
    }

    RecipientSecret secret() {
        return secret;
    }

    SealedNumbers numbers() {
        return numbers;
    }

    RocksRecipientKeyring keyring() {
        return keyring;
    }

    /** Destroys a recipient's data key, off the caller's thread; completes once it is durable. */
    CompletableFuture<Void> shred(PhoneNumber recipient) {
        return CompletableFuture.runAsync(() -> numbers.shred(recipient), shredder);
    }

    @Override
    public void close() {
        shredder.shutdown();
        try {
            shredder.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        keyring.close();
    }
}
