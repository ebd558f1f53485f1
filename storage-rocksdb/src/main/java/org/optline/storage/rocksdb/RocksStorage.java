package org.optline.storage.rocksdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.recipient.SealedNumbers;
import org.optline.core.storage.StorageException;
import org.optline.core.storage.StorageFault;
import org.optline.core.storage.StorageHealth;
import org.optline.core.storage.StorageUnavailableException;
import org.optline.core.storage.StoreBackup;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.LiveFileMetaData;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.SstFileReader;
import org.rocksdb.Slice;
import org.rocksdb.Status;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteOptions;

/**
 * The node's one RocksDB database, with a column family per kind of data: delivery queues and
 * their message index, consents and their audit events, idempotency records. Durable writes go
 * through the {@link GroupCommitter}; reads go straight to the database from any thread.
 *
 * <p>Opening never repairs or empties anything, and a refused open changes nothing: it first
 * checks that the disk has room to open at all, then opens the store read-only to check it (it
 * must reach the last commit the {@link AcknowledgedMark} says was acknowledged, and every table
 * file's checksums must hold), and only then opens it for writing. A store with a damaged table
 * file is opened read-only instead, in the {@link StorageFault#CORRUPT} fault: its intact data
 * can be read, and it takes no writes until an operator restores it. A directory held by another
 * process, or a store that is corrupt or unreadable, fails with a message that says so and what
 * to do.
 *
 * <p>A clean close flushes the memory tables into table files, so that nothing acknowledged
 * depends on the write-ahead log across a clean restart, and then writes the mark.
 */
public final class RocksStorage implements AutoCloseable {
    static {
        RocksDB.loadLibrary();
    }

    private static final String QUEUES = "queues";
    static final String MESSAGE_INDEX = "message_index";
    private static final String CONSENTS = "consents";
    private static final String CONSENT_EVENTS = "consent_events";
    static final String IDEMPOTENCY = "idempotency";
    private static final String CONSENT_REQUESTS = "consent_requests";
    private static final String ERASURES = "erasures";
    // The delivery side: queues in hand-out order with their leases and expiry index, the statuses
    // of messages that left them (with their retention and per-recipient indexes), and webhooks.
    static final String INBOX = "inbox";
    private static final String LEASES = "leases";
    static final String EXPIRIES = "expiries";
    private static final String STATUSES = "statuses";
    private static final String RETENTION = "retention";
    private static final String RECIPIENT_STATUSES = "recipient_statuses";
    private static final String WEBHOOKS = "webhooks";
    private static final String OUTBOX = "outbox";
    private static final String DEAD_LETTERS = "dead_letters";
    // Campaigns: their records, their audiences (in upload order, and by number to keep duplicates
    // out), the members held for quiet hours or a retry, and the counts per second of the report.
    private static final String CAMPAIGNS = "campaigns";
    private static final String CAMPAIGN_AUDIENCE = "campaign_audience";
    private static final String CAMPAIGN_MEMBERS = "campaign_members";
    private static final String CAMPAIGN_HOLDS = "campaign_holds";
    private static final String CAMPAIGN_SERIES = "campaign_series";
    // Content trust: registered templates; the anti-spam windows (each business's last contact with
    // each recipient, their time index, each recipient's marketing messages); recipients' feedback
    // counted per business and hour with a record of each complaint; standings and their events.
    private static final String TEMPLATES = "templates";
    private static final String CONTACTS = "contacts";
    private static final String CONTACT_TIMES = "contact_times";
    private static final String MARKETING_SENDS = "marketing_sends";
    private static final String QUALITY_COUNTS = "quality_counts";
    private static final String COMPLAINTS = "complaints";
    private static final String STANDINGS = "standings";
    private static final String STANDING_EVENTS = "standing_events";
    /** The column families, in the order of the handles; the first (RocksDB's default) holds the store's own keys. */
    private static final List<String> FAMILIES = List.of("default", QUEUES, MESSAGE_INDEX, CONSENTS, CONSENT_EVENTS,
            IDEMPOTENCY, CONSENT_REQUESTS, ERASURES, INBOX, LEASES, EXPIRIES, STATUSES, RETENTION, RECIPIENT_STATUSES,
            WEBHOOKS, OUTBOX, DEAD_LETTERS, CAMPAIGNS, CAMPAIGN_AUDIENCE, CAMPAIGN_MEMBERS, CAMPAIGN_HOLDS,
            CAMPAIGN_SERIES, TEMPLATES, CONTACTS, CONTACT_TIMES, MARKETING_SENDS, QUALITY_COUNTS, COMPLAINTS,
            STANDINGS, STANDING_EVENTS);
    private static final byte[] ERASURE_SECRET_KEY = "erasure-secret".getBytes(StandardCharsets.US_ASCII);
    /** The erasure key of a store with sealed numbers, wrapped like a data key: a copied store cannot test hashes with it. */
    static final byte[] SEALED_ERASURE_SECRET_KEY = "erasure-secret-sealed".getBytes(StandardCharsets.US_ASCII);
    /**
     * Present in a store whose recipients are tokens and sealed numbers, with the fingerprint of
     * the secret it was made with; a store without it is of the earlier layout ({@link SealingMigration}).
     */
    static final byte[] SEALED_KEY = "recipients-sealed".getBytes(StandardCharsets.US_ASCII);
    /** Where the keys directory is when none is named: beside the store's directory (tests and tools). */
    static final String KEYS_BESIDE = "keys";
    /**
     * The free space an open needs. RocksDB writes a new manifest, options file and write-ahead
     * log when it opens (and may flush what it replays into a table file), and after a full disk
     * it resumes writing only once its write buffer, 64 MiB, fits again. With less, an open could
     * fail half way through and leave new files behind; so it is refused before anything is touched.
     */
    static final long MIN_FREE_TO_OPEN = 64L << 20;
    /** How often the mark follows the commits while the store runs: its lag behind the acknowledgements. */
    static final long MARK_INTERVAL_MILLIS = 1_000;
    /** How much of a table file RocksDB writes before it asks the disk to start writing it out. */
    static final long BYTES_PER_SYNC = 1L << 20;
    /**
     * The write-ahead logs' total size past which RocksDB flushes the families that hold the
     * oldest one. Without it the bound is four times every family's memtables, about 15 GB here,
     * and the logs grow towards it because a family written with every group but hardly growing
     * (the commit number in {@code default}) never fills its memtable, so never frees a log: 1.4 GB
     * after 90 s at 30 000 messages/s, replayed after a crash (docs/operations.md).
     */
    static final long MAX_TOTAL_WAL_SIZE = 512L << 20;

    private final Path directory;
    private final DBOptions options;
    private final FamilyOptions familyOptions;
    private final List<ColumnFamilyHandle> handles;
    private final RocksDB db;
    private final boolean readOnly;
    private final StoreFaults faults;
    private final GroupCommitter committer;
    private final WriteOptions unsynced = new WriteOptions();
    private final ScheduledExecutorService marker;
    private long marked;
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
    /** Campaign records, under business ‖ 0 ‖ campaign (see {@link RocksCampaignStore}). */
    final ColumnFamilyHandle campaigns;
    final ColumnFamilyHandle campaignAudience;
    final ColumnFamilyHandle campaignMembers;
    final ColumnFamilyHandle campaignHolds;
    final ColumnFamilyHandle campaignSeries;
    final ColumnFamilyHandle templates;
    final ColumnFamilyHandle contacts;
    final ColumnFamilyHandle contactTimes;
    final ColumnFamilyHandle marketingSends;
    final ColumnFamilyHandle qualityCounts;
    final ColumnFamilyHandle complaints;
    final ColumnFamilyHandle standings;
    final ColumnFamilyHandle standingEvents;
    private final byte[] erasureSecret;
    /** The secret, keyring and sealing of recipients; null only for a store of the earlier layout, being moved. */
    private final RecipientVault vault;
    private boolean closed;

    private RocksStorage(Path directory, DBOptions options, FamilyOptions familyOptions,
                         List<ColumnFamilyHandle> handles, RocksDB db, boolean readOnly, StorageHealth health,
                        RecipientVault vault) throws RocksDBException {
        this.directory = directory;
        this.options = options;
        this.familyOptions = familyOptions;
        this.handles = handles;
        this.db = db;
        this.readOnly = readOnly;
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
        this.campaigns = handles.get(17);
        this.campaignAudience = handles.get(18);
        this.campaignMembers = handles.get(19);
        this.campaignHolds = handles.get(20);
        this.campaignSeries = handles.get(21);
        this.templates = handles.get(22);
        this.contacts = handles.get(23);
        this.contactTimes = handles.get(24);
        this.marketingSends = handles.get(25);
        this.qualityCounts = handles.get(26);
        this.complaints = handles.get(27);
        this.standings = handles.get(28);
        this.standingEvents = handles.get(29);
        Map<Integer, String> names = new HashMap<>();
        for (int i = 0; i < handles.size(); i++) {
            names.put(handles.get(i).getID(), FAMILIES.get(i));
        }
        this.faults = new StoreFaults(directory, health, names);
        this.vault = vault;
        this.erasureSecret = vault == null ? loadOrCreateErasureSecret(db, handles.get(0), readOnly)
                : loadOrCreateSealedErasureSecret(db, handles.get(0), readOnly, vault.keyring());
        this.committer = new GroupCommitter(db, handles.get(0), faults);
        if (vault != null) {
            committer.beforeEachWrite(vault.keyring()::syncIfWritten);
        }
        this.marked = committer.durableCommit();
        if (readOnly) {
            this.marker = null;
        } else {
            this.marker = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "optline-store-mark");
                thread.setDaemon(true);
                return thread;
            });
            marker.scheduleWithFixedDelay(this::markQuietly, MARK_INTERVAL_MILLIS, MARK_INTERVAL_MILLIS,
                    TimeUnit.MILLISECONDS);
        }
    }

    /** How much of the disk under a directory may still be written. */
    interface FreeSpace {
        long usable(Path directory) throws IOException;
    }

    /**
     * Opens the store in a directory, creating it only when the directory is missing or empty:
     * a directory with files but no database is damaged, never silently started afresh.
     */
    public static RocksStorage open(Path directory) {
        return open(directory, keysBeside(directory));
    }

    /**
     * Opens the store with the recipients' keys in {@code keysDirectory}, which must be outside
     * the data directory. A store of the earlier layout (numbers in clear) is moved to sealed
     * numbers first ({@link SealingMigration}).
     */
    public static RocksStorage open(Path directory, Path keysDirectory) {
        return open(directory, keysDirectory, dir -> Files.getFileStore(dir).getUsableSpace());
    }

    static RocksStorage open(Path directory, FreeSpace freeSpace) {
        return open(directory, keysBeside(directory), freeSpace);
    }

    /** The keys directory of a store opened without one named: {@code keys} beside the store's directory. */
    public static Path keysBeside(Path directory) {
        Path absolute = directory.toAbsolutePath().normalize();
        return absolute.resolveSibling(KEYS_BESIDE);
    }

    static RocksStorage open(Path directory, Path keysDirectory, FreeSpace freeSpace) {
        SealingMigration.finishInterrupted(directory);
        RocksStorage storage = openAsLaidOut(directory, keysDirectory, freeSpace);
        if (storage.vault != null) {
            return storage;
        }
        try {
            if (storage.readOnly) {
                throw new StorageException("the store in " + directory + " is corrupt and of the earlier layout"
                        + " (numbers in clear), so it cannot be moved to sealed numbers: " + storage.health().detail()
                        + ". Nothing was changed; restore it from a backup", null);
            }
            SealingMigration migration = new SealingMigration(storage, keysDirectory);
            migration.copy();
            storage.close();
            migration.swap();
        } catch (RuntimeException e) {
            storage.close();
            throw e;
        }
        return openAsLaidOut(directory, keysDirectory, freeSpace);
    }

    /** Opens the store in whichever layout it has: sealed (with its vault), or the earlier one (no vault). */
    static RocksStorage openAsLaidOut(Path directory, Path keysDirectory, FreeSpace freeSpace) {
        return openAsLaidOut(directory, keysDirectory, freeSpace, true);
    }

    /**
     * For the tests of the move to sealed numbers only: makes a new store in the earlier layout
     * (numbers in clear), written by this version's own code.
     */
    static RocksStorage createInEarlierLayout(Path directory) {
        return openAsLaidOut(directory, keysBeside(directory), dir -> Long.MAX_VALUE, false);
    }

    private static RocksStorage openAsLaidOut(Path directory, Path keysDirectory, FreeSpace freeSpace,
                                              boolean sealNew) {
        boolean fresh = prepare(directory);
        long free;
        try {
            free = freeSpace.usable(directory);
        } catch (IOException e) {
            throw new StorageException("cannot tell how much space is free for the store in " + directory + ": "
                    + e.getMessage() + ". Nothing was changed", e);
        }
        if (free < MIN_FREE_TO_OPEN) {
            throw new StorageException("cannot open the store in " + directory + ": its disk has " + (free >> 20)
                    + " MiB free, and opening the store needs at least " + (MIN_FREE_TO_OPEN >> 20) + " MiB (it"
                    + " writes a new manifest, options file and write-ahead log). Nothing was changed; free space"
                    + " on that disk, then start again", null);
        }
        StorageHealth health = new StorageHealth();
        boolean readOnly = false;
        if (!fresh) {
            Checked checked = check(directory);
            if (checked.sealedBy() != null) {
                // Before the store is opened for writing, so that a refused start changes nothing in it.
                RecipientVault.checkBelongs(keysDirectory, directory, checked.sealedBy());
            }
            if (!checked.damage().isEmpty()) {
                readOnly = true;
                health.report(StorageFault.CORRUPT, "the store in " + directory + " is corrupt: "
                        + String.join("; ", checked.damage()) + ". It was opened read-only and takes no writes;"
                        + " restore it from a backup (docs/operations.md, \"Restoring a backup\")");
            }
        }
        DBOptions options = dbOptions(fresh);
        FamilyOptions familyOptions = FamilyOptions.create();
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try {
            if (readOnly && existingFamilies(directory).size() != FAMILIES.size()) {
                // A damaged store of an earlier layout cannot be opened read-only in this one.
                throw new StorageException("the store in " + directory + " is corrupt and of an earlier layout, so it"
                        + " cannot even be opened read-only: " + health.detail() + ". Nothing was"
                        + " changed; restore it from a backup (docs/operations.md, \"Restoring a backup\")", null);
            }
            RocksDB db = readOnly
                    ? RocksDB.openReadOnly(options, directory.toString(), descriptors(familyOptions), handles)
                    : RocksDB.open(options, directory.toString(), descriptors(familyOptions), handles);
            RecipientVault vault = null;
            try {
                vault = vault(directory, keysDirectory, db, handles.get(0), fresh && sealNew);
                return new RocksStorage(directory, options, familyOptions, handles, db, readOnly, health, vault);
            } catch (RocksDBException | RuntimeException e) {
                if (vault != null) {
                    vault.close();
                }
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

    /**
     * The vault of a sealed store, made with a new store; null for a store of the earlier layout.
     * The mark is written only once the secret and the keyring are durable.
     */
    private static RecipientVault vault(Path directory, Path keysDirectory, RocksDB db, ColumnFamilyHandle meta,
                                        boolean fresh) throws RocksDBException {
        byte[] sealed = db.get(meta, SEALED_KEY);
        if (sealed != null) {
            return RecipientVault.forExistingStore(keysDirectory, directory,
                    new String(sealed, StandardCharsets.US_ASCII));
        }
        if (!fresh) {
            return null;
        }
        RecipientVault vault = RecipientVault.forNewStore(keysDirectory);
        try (WriteOptions synced = new WriteOptions().setSync(true)) {
            db.put(meta, synced, SEALED_KEY, vault.secret().fingerprint().getBytes(StandardCharsets.US_ASCII));
        } catch (RocksDBException e) {
            vault.close();
            throw e;
        }
        return vault;
    }

    /** Creates the directory if missing; true when it is empty, so a new store may be made in it. */
    private static boolean prepare(Path directory) {
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
        return fresh;
    }

    private static DBOptions dbOptions(boolean create) {
        // RocksJava has no setter for it. With it, the manifest records each closed write-ahead
        // log's synced size, and a start refuses an older log that is missing or cut short: the
        // mark cannot see that, since the newer logs carry later commits (docs/operations.md).
        java.util.Properties tracked = new java.util.Properties();
        tracked.setProperty("track_and_verify_wals_in_manifest", "true");
        DBOptions options = DBOptions.getDBOptionsFromProps(tracked);
        if (options == null) {
            throw new IllegalStateException("this RocksDB does not know track_and_verify_wals_in_manifest");
        }
        return options
                .setCreateIfMissing(create)
                .setCreateMissingColumnFamilies(true)
                .setParanoidChecks(true)
                // A torn last record is what kill -9 leaves (it was never acknowledged); damage
                // anywhere else must stop the start, not silently drop what follows it.
                .setWalRecoveryMode(WALRecoveryMode.TolerateCorruptedTailRecords)
                // A flush or compaction writes its table file out a megabyte at a time instead of
                // leaving it all to one sync at the end, which made the group commit's WAL sync
                // wait behind tens of megabytes now and then: p99.9 at 25 000 msg/s halved
                // (docs/benchmarks.md, "What changed in this round"). Durability is unchanged.
                .setBytesPerSync(BYTES_PER_SYNC)
                .setMaxTotalWalSize(MAX_TOTAL_WAL_SIZE);
    }

    private static List<ColumnFamilyDescriptor> descriptors(FamilyOptions familyOptions) {
        return descriptors(familyOptions, FAMILIES);
    }

    private static List<ColumnFamilyDescriptor> descriptors(FamilyOptions familyOptions, List<String> names) {
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        for (String name : names) {
            descriptors.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.US_ASCII),
                    familyOptions.of(name)));
        }
        return descriptors;
    }

    /**
     * The families of {@link #FAMILIES} the store on disk has, in that order: a store made by an
     * earlier version lacks the newer ones until its first writable open creates them, and a
     * read-only open can only name families that exist.
     */
    private static List<String> existingFamilies(Path directory) throws RocksDBException {
        List<String> present = new ArrayList<>();
        try (org.rocksdb.Options options = new org.rocksdb.Options()) {
            for (byte[] name : RocksDB.listColumnFamilies(options, directory.toString())) {
                present.add(new String(name, StandardCharsets.US_ASCII));
            }
        } catch (RocksDBException notADatabase) {
            return FAMILIES;
        }
        // No default family: not a database at all; naming them all lets the open say so.
        return present.contains("default") ? FAMILIES.stream().filter(present::contains).toList() : FAMILIES;
    }

    /** What a read-only look at a store found: the last commit it reaches, and its damaged table files. */
    record Checked(long commit, List<String> damage, int files, long bytes, String sealedBy) {}

    /**
     * Opens the store read-only, which writes nothing (not even RocksDB's info log), and checks
     * it: it must reach the commit its mark names, and every table file's block checksums must
     * hold. Refuses a store that is behind its mark; reports damaged table files.
     */
    static Checked check(Path directory) {
        DBOptions options = dbOptions(false);
        FamilyOptions familyOptions = FamilyOptions.create();
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        RocksDB db = null;
        try {
            db = RocksDB.openReadOnly(options, directory.toString(),
                    descriptors(familyOptions, existingFamilies(directory)), handles);
            long reached = GroupCommitter.longValue(db.get(handles.get(0), GroupCommitter.COMMIT_KEY));
            byte[] sealed = db.get(handles.get(0), SEALED_KEY);
            OptionalLong acknowledged = AcknowledgedMark.read(directory);
            if (acknowledged.isPresent() && reached < acknowledged.getAsLong()) {
                throw new StorageException("the store in " + directory + " is corrupt (it holds the writes up to"
                        + " commit " + reached + ", but writes up to commit " + acknowledged.getAsLong() + " were"
                        + " acknowledged: a write-ahead log file (*.log) is missing or cut short). Nothing was changed;"
                        + " restore it from a backup, or move it away to start with an empty store", null);
            }
            List<String> damage = new ArrayList<>();
            int files = 0;
            long bytes = 0;
            for (LiveFileMetaData table : db.getLiveFilesMetaData()) {
                files++;
                bytes += table.size();
                String problem = verifyTable(table);
                if (problem != null) {
                    damage.add(problem);
                }
            }
            return new Checked(reached, List.copyOf(damage), files, bytes,
                    sealed == null ? null : new String(sealed, StandardCharsets.US_ASCII));
        } catch (RocksDBException e) {
            throw explain(directory, e);
        } finally {
            handles.forEach(ColumnFamilyHandle::close);
            if (db != null) {
                db.close();
            }
            familyOptions.close();
            options.close();
        }
    }

    /** Reads every block of one table file and checks its checksum; null when it holds, else what is wrong. */
    private static String verifyTable(LiveFileMetaData table) {
        String family = new String(table.columnFamilyName(), StandardCharsets.US_ASCII);
        String name = table.fileName().startsWith("/") ? table.fileName().substring(1) : table.fileName();
        Path file = Path.of(table.path(), name);
        try (Options options = new Options(); SstFileReader reader = new SstFileReader(options)) {
            reader.open(file.toString());
            reader.verifyChecksum();
            return null;
        } catch (RocksDBException e) {
            return "column family " + family + ", table file " + name + " (" + e.getMessage() + ")";
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
        if (StoreFaults.classify(e) == StorageFault.DISK_FULL) {
            // The free space was checked before; the disk filled up while the store opened.
            return new StorageException("cannot open the store in " + directory + ": its disk filled up while it"
                    + " opened (" + message + "). Its data is as it was, though RocksDB may have left a new manifest,"
                    + " log or table file, which it uses or deletes at the next start; free space on that disk,"
                    + " then start again", e);
        }
        return new StorageException("cannot open the store in " + directory + ": " + message
                + ". Nothing was changed", e);
    }

    /** The store's own key for erasure ids, made once with the store, so ids are stable across restarts. */
    private static byte[] loadOrCreateErasureSecret(RocksDB db, ColumnFamilyHandle meta, boolean readOnly)
            throws RocksDBException {
        byte[] secret = db.get(meta, ERASURE_SECRET_KEY);
        if (secret == null) {
            secret = new byte[32];
            new java.security.SecureRandom().nextBytes(secret);
            if (readOnly) {
                // A damaged store opened read-only erases nothing: no id made with this key goes out.
                return secret;
            }
            try (WriteOptions synced = new WriteOptions().setSync(true)) {
                db.put(meta, synced, ERASURE_SECRET_KEY, secret);
            }
        }
        return secret;
    }

    /** The erasure key of a sealed store, kept wrapped by the recipient secret; made with the store. */
    private static byte[] loadOrCreateSealedErasureSecret(RocksDB db, ColumnFamilyHandle meta, boolean readOnly,
                                                          RocksRecipientKeyring keyring) throws RocksDBException {
        byte[] wrapped = db.get(meta, SEALED_ERASURE_SECRET_KEY);
        if (wrapped != null) {
            return keyring.unwrap(SEALED_ERASURE_SECRET_KEY, wrapped);
        }
        byte[] secret = new byte[32];
        new java.security.SecureRandom().nextBytes(secret);
        if (!readOnly) {
            writeSealedErasureSecret(db, meta, keyring, secret);
        }
        return secret;
    }

    static void writeSealedErasureSecret(RocksDB db, ColumnFamilyHandle meta, RocksRecipientKeyring keyring,
                                         byte[] secret) throws RocksDBException {
        try (WriteOptions synced = new WriteOptions().setSync(true)) {
            db.put(meta, synced, SEALED_ERASURE_SECRET_KEY, keyring.wrap(SEALED_ERASURE_SECRET_KEY, secret));
        }
    }

    /** Sealing of recipients' numbers and their tokens; null in a store of the earlier layout. */
    SealedNumbers numbers() {
        return vault == null ? null : vault.numbers();
    }

    /** The key segment of a recipient: its token (the number itself in a store of the earlier layout). */
    byte[] token(PhoneNumber recipient) {
        return vault == null ? recipient.e164().getBytes(StandardCharsets.US_ASCII) : vault.numbers().token(recipient);
    }

    /** For tests: compacts every family, as RocksDB does over time, so that no overwritten entry is left in a file. */
    void compactAll() throws RocksDBException {
        for (ColumnFamilyHandle handle : handles) {
            db.compactRange(handle);
        }
    }

    /** Destroys the recipient's data key (crypto-shredding); completes once that is durable. */
    CompletableFuture<Void> shred(PhoneNumber recipient) {
        return vault == null ? CompletableFuture.completedFuture(null) : vault.shred(recipient);
    }

    RecipientVault vault() {
        return vault;
    }

    /** For the move to sealed numbers, which writes beside the group commits. */
    RocksDB db() {
        return db;
    }

    ColumnFamilyHandle meta() {
        return handles.get(0);
    }

    List<ColumnFamilyHandle> families() {
        return handles;
    }

    static List<String> familyNames() {
        return FAMILIES;
    }

    /** The key of the keyed hash under which erasures are recorded. */
    public byte[] erasureSecret() {
        return erasureSecret.clone();
    }

    public Path directory() {
        return directory;
    }

    /** Whether the store takes writes and serves its data whole. */
    public StorageHealth health() {
        return faults.health();
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
            // Not keyMayExist first, though it answers a miss in half the time: it reports a
            // damaged filter or block as "absent", and a damaged store must fail a read, never
            // answer it short (StorageFaultsTest).
            return db.get(family, key);
        } catch (RocksDBException e) {
            throw faults.readFailed(family.getID(), e);
        }
    }

    /** Writes without waiting for a sync: for records whose loss in a crash is harmless. */
    void putUnsynced(ColumnFamilyHandle family, byte[] key, byte[] value) {
        if (readOnly) {
            // A damaged store takes no writes; such a record only spares a retry its admission.
            return;
        }
        try {
            db.put(family, unsynced, key, value);
        } catch (RocksDBException e) {
            throw new StorageException("cannot write the store in " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * Visits the entries whose keys start with {@code prefix}, in key order, until the visitor
     * says stop. A scan that meets damage fails, so that a reader never takes a shortened range
     * for the whole of it.
     */
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
            throw faults.readFailed(family.getID(), e);
        }
    }

    /**
     * Visits the entries with keys from {@code from} on, in key order, until the visitor says stop.
     * Every scan here fails on damage, reported as the store's fault: never a shortened range.
     */
    void scanFrom(ColumnFamilyHandle family, byte[] from, EntryVisitor visitor) {
        try (RocksIterator it = db.newIterator(family)) {
            for (it.seek(from); it.isValid(); it.next()) {
                if (!visitor.visit(it.key(), it.value())) {
                    return;
                }
            }
            it.status();
        } catch (RocksDBException e) {
            throw faults.readFailed(family.getID(), e);
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
            throw faults.readFailed(family.getID(), e);
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
            throw faults.readFailed(family.getID(), e);
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
            throw faults.readFailed(family.getID(), e);
        }
    }

    /**
     * Visits the entries from key {@code from} on whose keys start with {@code prefix}, in key
     * order, until the visitor says stop: a range that starts in the middle of a prefix. Like
     * {@link #scan(ColumnFamilyHandle, byte[], EntryVisitor)}, a scan that meets damage fails.
     */
    void scan(ColumnFamilyHandle family, byte[] from, byte[] prefix, EntryVisitor visitor) {
        try (ReadOptions read = new ReadOptions().setPrefixSameAsStart(false);
             RocksIterator it = db.newIterator(family, read)) {
            for (it.seek(from); it.isValid() && Keys.startsWith(it.key(), prefix); it.next()) {
                if (!visitor.visit(it.key(), it.value())) {
                    return;
                }
            }
            it.status();
        } catch (RocksDBException e) {
            throw faults.readFailed(family.getID(), e);
        }
    }

    /** Sees one entry of a scan; returns false to stop. */
    interface EntryVisitor {
        boolean visit(byte[] key, byte[] value);
    }

    /**
     * Copies the store, consistently and while it runs, into {@code target} (which must not
     * exist yet): a RocksDB checkpoint, which hard-links the table files when {@code target} is
     * on the same file system and copies them otherwise. The copy is then opened read-only and
     * checked like a store at start, and gets its own mark, so that it opens only whole.
     */
    public synchronized StoreBackup backup(Path target) {
        if (closed) {
            throw new IllegalStateException("the store is closed");
        }
        StorageUnavailableException refused = faults.refusingWrites();
        if (refused != null) {
            // A copy of a damaged store would carry the damage to wherever it is restored.
            throw refused;
        }
        try (Checkpoint checkpoint = Checkpoint.create(db)) {
            checkpoint.createCheckpoint(target.toString());
        } catch (RocksDBException e) {
            StorageFault fault = StoreFaults.classify(e);
            String message = "cannot back up the store in " + directory + " into " + target + ": " + e.getMessage();
            if (fault == StorageFault.DISK_FULL || fault == StorageFault.WRITE_FAILED) {
                throw new StorageUnavailableException(fault, StoreFaults.UNWRITABLE_RETRY_AFTER, message, e);
            }
            throw new StorageException(message, e);
        }
        Checked copy = check(target);
        if (!copy.damage().isEmpty()) {
            throw new StorageException("the backup in " + target + " is damaged (" + String.join("; ", copy.damage())
                    + "); it is left there for inspection: do not restore it, and check the disk", null);
        }
        try {
            AcknowledgedMark.write(target, copy.commit());
        } catch (IOException e) {
            throw new StorageException("cannot finish the backup in " + target + ": " + e.getMessage(), e);
        }
        return new StoreBackup(target, copy.commit(), copy.files(), copy.bytes());
    }

    /** What {@link #restore} did: the store now in place, the commit it reaches, and where the one it replaced went. */
    public record Restored(Path store, long commit, int files, long bytes, Path replaced) {}

    /**
     * Puts a backup in place of the store in {@code store}, offline: the gateway on that store
     * must be stopped. The backup is checked first (opened read-only, its checksums and its mark),
     * then copied beside the store and fsync'd, and only then swapped in with a rename. A store
     * already there is moved aside ({@code store.replaced-<time>}), never deleted; the backup is
     * left as it was.
     *
     * @throws StorageException when the backup is not a whole store, the store is in use, or
     *     the copy fails; the store in place is then unchanged
     */
    public static Restored restore(Path backup, Path store) {
        if (!Files.isDirectory(backup)) {
            throw new StorageException("there is no backup in " + backup + ". Nothing was changed", null);
        }
        Checked checked = check(backup);
        if (!checked.damage().isEmpty()) {
            throw new StorageException("the backup in " + backup + " is damaged (" + String.join("; ", checked.damage())
                    + "). Nothing was changed; restore an older backup", null);
        }
        Path absolute = store.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        String stamp = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now());
        Path copy = parent.resolve(absolute.getFileName() + ".restoring-" + stamp);
        Path replaced = null;
        try {
            Files.createDirectories(parent);
            refuseIfInUse(absolute);
            Files.createDirectory(copy);
            try (var files = Files.list(backup)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    String name = file.getFileName().toString();
                    if (name.equals("LOCK") || name.startsWith("LOG") || !Files.isRegularFile(file)) {
                        continue;
                    }
                    Path target = copy.resolve(name);
                    Files.copy(file, target);
                    try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(target,
                            java.nio.file.StandardOpenOption.WRITE)) {
                        channel.force(true);
                    }
                }
            }
            AcknowledgedMark.syncDirectory(copy);
            if (Files.exists(absolute)) {
                replaced = parent.resolve(absolute.getFileName() + ".replaced-" + stamp);
                Files.move(absolute, replaced, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(copy, absolute, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            AcknowledgedMark.syncDirectory(parent);
        } catch (IOException e) {
            throw new StorageException("cannot restore the backup in " + backup + " to " + absolute + ": " + e
                    + (replaced == null ? ". The store in place was not changed" : ". The store that was in place is"
                    + " now in " + replaced) + "; a partial copy may be left in " + copy, e);
        }
        return new Restored(absolute, checked.commit(), checked.files(), checked.bytes(), replaced);
    }

    /** A store held by a running gateway must not be swapped out from under it. */
    private static void refuseIfInUse(Path store) throws IOException {
        Path lock = store.resolve("LOCK");
        if (!Files.exists(lock)) {
            return;
        }
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(lock,
                java.nio.file.StandardOpenOption.WRITE)) {
            // RocksDB holds a POSIX record lock on LOCK, which this lock attempt meets in another process.
            java.nio.channels.FileLock held = channel.tryLock();
            if (held == null) {
                throw new StorageException("the store in " + store + " is in use by a running gateway (its LOCK is"
                        + " held). Nothing was changed; stop that gateway first", null);
            }
            held.release();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            throw new StorageException("the store in " + store + " is in use in this process. Nothing was changed;"
                    + " close it first", e);
        }
    }

    /** Brings the mark up to the last durable commit; on failure (a full disk) it simply lags until the next try. */
    private void markQuietly() {
        long durable = committer.durableCommit();
        if (durable <= marked) {
            return;
        }
        try {
            AcknowledgedMark.write(directory, durable);
            marked = durable;
        } catch (IOException e) {
            // Tried again in a second; the mark only ever trails, so a late one is safe.
        }
    }

    /**
     * For tests: flushes one column family's memory table, as RocksDB does when one fills up,
     * which starts a new write-ahead log while the older one still holds the other families' writes.
     */
    void flush(ColumnFamilyHandle family) throws RocksDBException {
        try (FlushOptions flushOptions = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flushOptions, family);
        }
    }

    /** The number of the last group commit made durable. */
    long durableCommit() {
        return committer.durableCommit();
    }

    /**
     * For tests: every group commit from now on fails with {@code failure}, as if the disk had
     * answered it (RocksDB's NoSpace, say), until this is called with null.
     */
    void failWritesWith(RocksDBException failure) {
        committer.failWritesWith(failure);
    }

    /** Commits the queued writes, flushes the memory tables to table files, writes the mark, closes the database. */
    @Override
    public void close() {
        close(true);
    }

    /**
     * For tests: closes as a {@code kill -9} would leave the store just after the mark was last
     * brought up to date: the commits stay in the write-ahead log, nothing is flushed.
     */
    void closeLikeACrash() {
        close(false);
    }

    private synchronized void close(boolean flush) {
        if (closed) {
            return;
        }
        if (!committer.stop()) {
            // A write is stuck in the disk: freeing the database under it would crash the JVM.
            return;
        }
        closed = true;
        String problem = null;
        if (marker != null) {
            marker.shutdown();
            try {
                marker.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!readOnly) {
            if (flush) {
                try (FlushOptions flushOptions = new FlushOptions().setWaitForFlush(true)) {
                    db.flush(flushOptions, handles);
                } catch (RocksDBException e) {
                    problem = "its memory tables could not be written to table files (" + e.getMessage() + "); they"
                            + " are in the write-ahead log, which the next start replays";
                }
            }
            try {
                AcknowledgedMark.write(directory, committer.durableCommit());
            } catch (IOException e) {
                problem = (problem == null ? "" : problem + "; ") + "its mark could not be written (" + e.getMessage()
                        + "), so the next start checks it against an older commit";
            }
        }
        unsynced.close();
        for (ColumnFamilyHandle handle : handles) {
            handle.close();
        }
        db.close();
        familyOptions.close();
        options.close();
        if (vault != null) {
            vault.close();
        }
        if (problem != null) {
            throw new StorageException("the store in " + directory + " was closed, but " + problem, null);
        }
    }
}
