package org.optline.storage.rocksdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.optline.core.storage.StorageException;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Status;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteOptions;

/**
 * The node's one RocksDB database, with a column family per kind of data: delivery queues and
 * their message index, consents and their audit events, idempotency records. Durable writes go
 * through the {@link GroupCommitter}; reads go straight to the database from any thread.
 *
 * <p>Opening never repairs or empties anything: a directory held by another process, or a
 * store that is corrupt or unreadable, fails with a message that says so and what to do.
 */
public final class RocksStorage implements AutoCloseable {
    static {
        RocksDB.loadLibrary();
    }

    private static final String QUEUES = "queues";
    private static final String MESSAGE_INDEX = "message_index";
    private static final String CONSENTS = "consents";
    private static final String CONSENT_EVENTS = "consent_events";
    private static final String IDEMPOTENCY = "idempotency";
    private static final String CONSENT_REQUESTS = "consent_requests";
    private static final String ERASURES = "erasures";
    // The delivery side: queues in hand-out order with their leases and expiry index, the statuses
    // of messages that left them (with their retention and per-recipient indexes), and webhooks.
    private static final String INBOX = "inbox";
    private static final String LEASES = "leases";
    private static final String EXPIRIES = "expiries";
    private static final String STATUSES = "statuses";
    private static final String RETENTION = "retention";
    private static final String RECIPIENT_STATUSES = "recipient_statuses";
    private static final String WEBHOOKS = "webhooks";
    private static final String OUTBOX = "outbox";
    private static final String DEAD_LETTERS = "dead_letters";
    private static final byte[] ERASURE_SECRET_KEY = "erasure-secret".getBytes(StandardCharsets.US_ASCII);

    private final Path directory;
    private final DBOptions options;
    private final ColumnFamilyOptions familyOptions;
    private final List<ColumnFamilyHandle> handles;
    private final RocksDB db;
    private final GroupCommitter committer;
    private final WriteOptions unsynced = new WriteOptions();
    final ColumnFamilyHandle queues;
    final ColumnFamilyHandle messageIndex;
    final ColumnFamilyHandle consents;
    final ColumnFamilyHandle consentEvents;
    final ColumnFamilyHandle idempotency;
    final ColumnFamilyHandle consentRequests;
    final ColumnFamilyHandle erasures;
    final ColumnFamilyHandle inbox;
    final ColumnFamilyHandle leases;
    final ColumnFamilyHandle expiries;
    final ColumnFamilyHandle statuses;
    final ColumnFamilyHandle retention;
    final ColumnFamilyHandle recipientStatuses;
    final ColumnFamilyHandle webhooks;
    final ColumnFamilyHandle outbox;
    final ColumnFamilyHandle deadLetters;
    private final byte[] erasureSecret;

    private RocksStorage(Path directory, DBOptions options, ColumnFamilyOptions familyOptions,
                         List<ColumnFamilyHandle> handles, RocksDB db) throws RocksDBException {
        this.directory = directory;
        this.options = options;
        this.familyOptions = familyOptions;
        this.handles = handles;
        this.db = db;
        this.queues = handles.get(1);
        this.messageIndex = handles.get(2);
        this.consents = handles.get(3);
        this.consentEvents = handles.get(4);
        this.idempotency = handles.get(5);
        this.consentRequests = handles.get(6);
        this.erasures = handles.get(7);
        this.inbox = handles.get(8);
        this.leases = handles.get(9);
        this.expiries = handles.get(10);
        this.statuses = handles.get(11);
        this.retention = handles.get(12);
        this.recipientStatuses = handles.get(13);
        this.webhooks = handles.get(14);
        this.outbox = handles.get(15);
        this.deadLetters = handles.get(16);
        this.committer = new GroupCommitter(db, handles.get(0));
        this.erasureSecret = loadOrCreateErasureSecret(db, handles.get(0));
    }

    /**
     * Opens the store in a directory, creating it only when the directory is missing or empty:
     * a directory with files but no database is damaged, never silently started afresh.
     */
    public static RocksStorage open(Path directory) {
        boolean fresh;
        try {
            Files.createDirectories(directory);
            try (var entries = Files.list(directory)) {
                fresh = entries.findAny().isEmpty();
            }
        } catch (IOException e) {
            throw new StorageException("cannot create the data directory " + directory + ": " + e.getMessage(), e);
        }
        if (!Files.isReadable(directory) || !Files.isWritable(directory)) {
            throw new StorageException("the data directory " + directory + " is not readable and writable by this user",
                    null);
        }
        DBOptions options = new DBOptions()
                .setCreateIfMissing(fresh)
                .setCreateMissingColumnFamilies(true)
                .setParanoidChecks(true)
                // A torn last record is what kill -9 leaves (it was never acknowledged); damage
                // anywhere else must stop the start, not silently drop what follows it.
                .setWalRecoveryMode(WALRecoveryMode.TolerateCorruptedTailRecords);
        // Queued messages live for minutes: compressing every memtable flush cost a third of the
        // flush thread's CPU under load (docs/benchmarks.md). Only data that reaches the bottom
        // level, which has lived long, is compressed, and with the cheaper LZ4.
        ColumnFamilyOptions familyOptions = new ColumnFamilyOptions()
                .setCompressionType(CompressionType.NO_COMPRESSION)
                .setBottommostCompressionType(CompressionType.LZ4_COMPRESSION);
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        for (String name : List.of("default", QUEUES, MESSAGE_INDEX, CONSENTS, CONSENT_EVENTS, IDEMPOTENCY,
                CONSENT_REQUESTS, ERASURES, INBOX, LEASES, EXPIRIES, STATUSES, RETENTION, RECIPIENT_STATUSES, WEBHOOKS,
                OUTBOX, DEAD_LETTERS)) {
            descriptors.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.US_ASCII),
                    familyOptions));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try {
            RocksDB db = RocksDB.open(options, directory.toString(), descriptors, handles);
            try {
                return new RocksStorage(directory, options, familyOptions, handles, db);
            } catch (RocksDBException | RuntimeException e) {
                handles.forEach(ColumnFamilyHandle::close);
                db.close();
                throw e;
            }
        } catch (RocksDBException e) {
            options.close();
            familyOptions.close();
            throw explain(directory, e);
        }
    }

    private static StorageException explain(Path directory, RocksDBException e) {
        String message = String.valueOf(e.getMessage());
        Status.Code code = e.getStatus() == null ? null : e.getStatus().getCode();
        if (code == Status.Code.Corruption) {
            return new StorageException("the store in " + directory + " is corrupt (" + message + "). Nothing was"
                    + " changed; restore it from a backup, or move it away to start with an empty store", e);
        }
        // RocksDB reports a held LOCK file as an I/O error; only its text tells it apart.
        if (message.contains("lock") || message.contains("LOCK")) {
            return new StorageException("the data directory " + directory + " is in use by another process"
                    + " (its LOCK is held); stop that gateway or give this one another data.dir", e);
        }
        if (message.contains("Corruption") || message.contains("corrupt")) {
            return new StorageException("the store in " + directory + " is corrupt (" + message + "). Nothing was"
                    + " changed; restore it from a backup, or move it away to start with an empty store", e);
        }
        return new StorageException("cannot open the store in " + directory + ": " + message
                + ". Nothing was changed", e);
    }

    /** The store's own key for erasure ids, made once with the store, so ids are stable across restarts. */
    private static byte[] loadOrCreateErasureSecret(RocksDB db, ColumnFamilyHandle meta) throws RocksDBException {
        byte[] secret = db.get(meta, ERASURE_SECRET_KEY);
        if (secret == null) {
            secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            try (WriteOptions synced = new WriteOptions().setSync(true)) {
                db.put(meta, synced, ERASURE_SECRET_KEY, secret);
            }
        }
        return secret;
    }

    /** The key of the keyed hash under which erasures are recorded. */
    public byte[] erasureSecret() {
        return erasureSecret.clone();
    }

    public Path directory() {
        return directory;
    }

    /**
     * A read, done on the calling thread (never an event loop: the services call the engine on
     * their store threads, admission on its own pool). Point reads come from the block cache or
     * a bloom filter's "no" in microseconds; a failure fails the future instead of throwing.
     */
    static <T> CompletableFuture<T> read(Supplier<T> read) {
        try {
            return CompletableFuture.completedFuture(read.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    <T> CompletableFuture<T> write(GroupCommitter.Write<T> write) {
        return committer.submit(write);
    }

    byte[] get(ColumnFamilyHandle family, byte[] key) {
        try {
            return db.get(family, key);
        } catch (RocksDBException e) {
            throw new StorageException("cannot read the store in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Writes without waiting for a sync: for records whose loss in a crash is harmless. */
    void putUnsynced(ColumnFamilyHandle family, byte[] key, byte[] value) {
        try {
            db.put(family, unsynced, key, value);
        } catch (RocksDBException e) {
            throw new StorageException("cannot write the store in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Visits the entries whose keys start with {@code prefix}, in key order, until the visitor says stop. */
    void scan(ColumnFamilyHandle family, byte[] prefix, EntryVisitor visitor) {
        try (ReadOptions read = new ReadOptions().setPrefixSameAsStart(false);
             RocksIterator it = db.newIterator(family, read)) {
            for (it.seek(prefix); it.isValid() && Keys.startsWith(it.key(), prefix); it.next()) {
                if (!visitor.visit(it.key(), it.value())) {
                    return;
                }
            }
            // An iterator that stops on an I/O error looks like the end of the range: tell them apart.
            it.status();
        } catch (RocksDBException e) {
            throw new StorageException("cannot read the store in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Visits the entries with keys from {@code from} on, in key order, until the visitor says stop. */
    void scanFrom(ColumnFamilyHandle family, byte[] from, EntryVisitor visitor) {
        try (RocksIterator it = db.newIterator(family)) {
            for (it.seek(from); it.isValid(); it.next()) {
                if (!visitor.visit(it.key(), it.value())) {
                    return;
                }
            }
            it.status();
        } catch (RocksDBException e) {
            throw new StorageException("cannot read the store in " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * Visits the entries with keys from {@code from} (inclusive) to {@code to} (exclusive), in key
     * order, until the visitor says stop. The upper bound lets the iterator stop at {@code to}
     * without stepping over the deleted entries beyond it.
     */
    void scanRange(ColumnFamilyHandle family, byte[] from, byte[] to, EntryVisitor visitor) {
        try (Slice upper = new Slice(to);
             ReadOptions read = new ReadOptions().setIterateUpperBound(upper);
             RocksIterator it = db.newIterator(family, read)) {
            for (it.seek(from); it.isValid(); it.next()) {
                if (!visitor.visit(it.key(), it.value())) {
                    return;
                }
            }
            it.status();
        } catch (RocksDBException e) {
            throw new StorageException("cannot read the store in " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * Visits the entries of {@code family} whose keys start with {@code prefix}, in key order, each
     * with the value under the same key in {@code beside} (null when it has none), until the visitor
     * says stop: one pass over each family, for a record and the records kept beside it under the
     * same key (a queued message and its lease).
     */
    void scanJoined(ColumnFamilyHandle family, ColumnFamilyHandle beside, byte[] prefix, JoinedVisitor visitor) {
        try (ReadOptions read = new ReadOptions().setPrefixSameAsStart(false);
             RocksIterator it = db.newIterator(family, read);
             RocksIterator other = db.newIterator(beside, read)) {
            other.seek(prefix);
            for (it.seek(prefix); it.isValid() && Keys.startsWith(it.key(), prefix); it.next()) {
                byte[] key = it.key();
                while (other.isValid() && Arrays.compareUnsigned(other.key(), key) < 0) {
                    other.next();
                }
                byte[] extra = other.isValid() && Arrays.equals(other.key(), key) ? other.value() : null;
                if (!visitor.visit(key, it.value(), extra)) {
                    return;
                }
            }
            it.status();
            other.status();
        } catch (RocksDBException e) {
            throw new StorageException("cannot read the store in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Sees one entry of a joined scan, and the value beside it (or null); returns false to stop. */
    interface JoinedVisitor {
        boolean visit(byte[] key, byte[] value, byte[] beside);
    }

    /** The first key at or after {@code from} in the family, or null when there is none. */
    byte[] firstKeyFrom(ColumnFamilyHandle family, byte[] from) {
        try (RocksIterator it = db.newIterator(family)) {
            it.seek(from);
            if (it.isValid()) {
                return it.key();
            }
            it.status();
            return null;
        } catch (RocksDBException e) {
            throw new StorageException("cannot read the store in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Sees one entry of a scan; returns false to stop. */
    interface EntryVisitor {
        boolean visit(byte[] key, byte[] value);
    }

    /** Commits the queued writes, then closes the database. */
    @Override
    public void close() {
        if (!committer.stop()) {
            // A write is stuck in the disk: freeing the database under it would crash the JVM.
            return;
        }
        unsynced.close();
        for (ColumnFamilyHandle handle : handles) {
            handle.close();
        }
        db.close();
        familyOptions.close();
        options.close();
    }
}
