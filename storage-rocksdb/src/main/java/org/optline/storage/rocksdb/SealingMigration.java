package org.optline.storage.rocksdb;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.recipient.RecipientTokens;
import org.optline.core.recipient.SealedNumbers;
import org.optline.core.storage.StorageException;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.FlushOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Moves a store of the earlier layout (numbers in clear, in keys and values) to sealed numbers,
 * at its first start with this version: every entry is rewritten, with each number in a key
 * replaced by its token and each number in a value sealed, into a new store beside it
 * ({@code <store>.sealing}); only when that is complete and closed is it swapped in by two
 * renames, and the old store is deleted, since it holds every number in clear.
 *
 * <p>A crash at any point loses nothing: before the swap the old store is untouched and a start
 * begins again (the partial copy is deleted); after the first rename {@link #finishInterrupted}
 * completes the swap. Progress is logged per column family, with counts only.
 */
final class SealingMigration {
    private static final System.Logger LOG = System.getLogger(SealingMigration.class.getName());
    /** Entries per write of the copy. */
    private static final int BATCH = 10_000;
    static final String SEALING_SUFFIX = ".sealing";
    static final String UNSEALED_SUFFIX = ".unsealed";

    private final RocksStorage old;
    private final Path keysDirectory;
    private final Path store;
    private final Path target;

    SealingMigration(RocksStorage old, Path keysDirectory) {
        this.old = old;
        this.keysDirectory = keysDirectory;
        this.store = old.directory().toAbsolutePath().normalize();
        this.target = sibling(store, SEALING_SUFFIX);
    }

    private static Path sibling(Path store, String suffix) {
        Path absolute = store.toAbsolutePath().normalize();
        return absolute.resolveSibling(absolute.getFileName() + suffix);
    }

    /**
     * Brings a move interrupted by a crash to a consistent state before the store opens: a partial
     * copy is deleted (the move starts over), a copy whose swap was cut between the two renames is
     * put in place, and the old store left after a swap is deleted.
     */
    static void finishInterrupted(Path store) {
        Path absolute = store.toAbsolutePath().normalize();
        Path sealing = sibling(absolute, SEALING_SUFFIX);
        Path unsealed = sibling(absolute, UNSEALED_SUFFIX);
        try {
            if (Files.exists(sealing) && !Files.exists(absolute) && Files.exists(unsealed)) {
                LOG.log(System.Logger.Level.INFO, "finishing the move of " + absolute + " to sealed numbers");
                Files.move(sealing, absolute, StandardCopyOption.ATOMIC_MOVE);
                AcknowledgedMark.syncDirectory(absolute.getParent());
            }
            if (Files.exists(sealing)) {
                // The copy was not complete when the node stopped: the old store is whole, start again.
                deleteTree(sealing);
            }
            if (Files.exists(unsealed) && Files.exists(absolute)) {
                deleteTree(unsealed);
            }
        } catch (IOException e) {
            throw new StorageException("cannot finish moving the store in " + absolute + " to sealed numbers: "
                    + e.getMessage() + ". The old store is in " + unsealed + " or " + absolute, e);
        }
    }

    /** Writes every entry of the old store, sealed, into the new one, and closes it. */
    void copy() {
        deleteQuietly(target);
        LOG.log(System.Logger.Level.INFO, "moving the store in " + store + " to sealed numbers (keys in "
                + keysDirectory + "); the old layout kept numbers in clear");
        long started = System.nanoTime();
        RocksStorage sealed = RocksStorage.openAsLaidOut(target, keysDirectory, dir -> Long.MAX_VALUE);
        try {
            SealedNumbers numbers = sealed.numbers();
            Map<String, Rewrite> rewrites = rewrites(numbers);
            List<ColumnFamilyHandle> from = old.families();
            List<ColumnFamilyHandle> to = sealed.families();
            List<String> names = RocksStorage.familyNames();
            long total = 0;
            for (int i = 1; i < names.size(); i++) {
                long moved = copyFamily(from.get(i), to.get(i), sealed,
                        rewrites.getOrDefault(names.get(i), Rewrite.AS_IS));
                total += moved;
                LOG.log(System.Logger.Level.INFO, "sealing: " + names.get(i) + ", " + moved + " entries");
            }
            copyCounters(sealed);
            try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                sealed.db().flush(flush, sealed.families());
            }
            LOG.log(System.Logger.Level.INFO, "sealing: " + total + " entries written in "
                    + (System.nanoTime() - started) / 1_000_000 + " ms");
        } catch (RocksDBException e) {
            sealed.close();
            throw new StorageException("cannot move the store in " + store + " to sealed numbers: " + e.getMessage()
                    + ". The store was not changed; the next start tries again", e);
        } catch (RuntimeException e) {
            sealed.close();
            throw e;
        }
        sealed.close();
        try {
            // The copy reaches the old store's last commit, which it carries on from.
            AcknowledgedMark.write(target, GroupCommitter.longValue(old.get(old.meta(), GroupCommitter.COMMIT_KEY)));
        } catch (IOException e) {
            throw new StorageException("cannot finish the sealed copy in " + target + ": " + e.getMessage(), e);
        }
    }

    /** Puts the sealed copy in place of the old store, then deletes the old store (it holds numbers in clear). */
    void swap() {
        Path unsealed = sibling(store, UNSEALED_SUFFIX);
        try {
            Files.move(store, unsealed, StandardCopyOption.ATOMIC_MOVE);
            Files.move(target, store, StandardCopyOption.ATOMIC_MOVE);
            AcknowledgedMark.syncDirectory(store.getParent());
            deleteTree(unsealed);
        } catch (IOException e) {
            throw new StorageException("cannot put the sealed store in place of " + store + ": " + e.getMessage()
                    + ". The next start finishes it", e);
        }
        LOG.log(System.Logger.Level.INFO, "the store in " + store + " now keeps recipients as tokens and sealed"
                + " numbers; the old layout was deleted. Back up the keys directory " + keysDirectory + " now:"
                + " without it the store cannot be read");
    }

    private long copyFamily(ColumnFamilyHandle from, ColumnFamilyHandle to, RocksStorage sealed, Rewrite rewrite)
            throws RocksDBException {
        long moved = 0;
        try (RocksIterator it = old.db().newIterator(from);
             WriteOptions unsynced = new WriteOptions()) {
            WriteBatch batch = new WriteBatch();
            try {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    byte[][] entry = rewrite.apply(it.key(), it.value());
                    batch.put(to, entry[0], entry[1]);
                    if (++moved % BATCH == 0) {
                        sealed.db().write(unsynced, batch);
                        batch.close();
                        batch = new WriteBatch();
                    }
                }
                it.status();
                sealed.db().write(unsynced, batch);
            } finally {
                batch.close();
            }
        }
        return moved;
    }

    /** The writer's counters and the erasure key (now wrapped); the sealed mark stays the new store's own. */
    private void copyCounters(RocksStorage sealed) throws RocksDBException {
        for (byte[] key : List.of(GroupCommitter.COMMIT_KEY, "sequence".getBytes(StandardCharsets.US_ASCII))) {
            byte[] value = old.get(old.meta(), key);
            if (value != null) {
                sealed.db().put(sealed.meta(), key, value);
            }
        }
        RocksStorage.writeSealedErasureSecret(sealed.db(), sealed.meta(), sealedKeyring(sealed), old.erasureSecret());
    }

    private static RocksRecipientKeyring sealedKeyring(RocksStorage sealed) {
        return sealed.vault().keyring();
    }

    /** How one column family's entries change: key and value in, key and value out. */
    @FunctionalInterface
    interface Rewrite {
        Rewrite AS_IS = (key, value) -> new byte[][] {key, value};

        byte[][] apply(byte[] key, byte[] value);
    }

    /** Every family that holds a number, and where: the rest are copied as they are. */
    private static Map<String, Rewrite> rewrites(SealedNumbers numbers) {
        UnaryOperator<byte[]> recipientFirst = key -> recipientFirst(key, numbers);
        Rewrite keyOnly = (key, value) -> new byte[][] {recipientFirst.apply(key), value};
        return Map.ofEntries(
                Map.entry("queues", (key, value) -> new byte[][] {recipientFirst.apply(key), message(value, numbers)}),
                Map.entry("inbox", (key, value) -> new byte[][] {recipientFirst.apply(key), message(value, numbers)}),
                Map.entry("leases", keyOnly),
                Map.entry("consents", keyOnly),
                Map.entry("consent_requests", keyOnly),
                Map.entry("recipient_statuses", keyOnly),
                Map.entry("marketing_sends", keyOnly),
                Map.entry("consent_events", (key, value) -> new byte[][] {recipientFirst.apply(key),
                        Codec.change(Codec.change(value, null), numbers)}),
                // The index points at a queue key, of the inbox or of the first layout's queues.
                Map.entry("message_index", (key, value) -> new byte[][] {key, recipientFirst.apply(value)}),
                Map.entry("expiries", (key, value) -> new byte[][] {timed(key, recipientFirst), value}),
                Map.entry("statuses", (key, value) -> new byte[][] {key,
                        Codec.record(Codec.messageRecord(value, null), numbers)}),
                Map.entry("contacts", (key, value) -> new byte[][] {afterPrefix(key, 0, numbers), value}),
                Map.entry("campaign_members", (key, value) -> new byte[][] {afterPrefix(key, 0, numbers), value}),
                Map.entry("contact_times", (key, value) -> contactTime(key, numbers)),
                Map.entry("campaign_audience", (key, value) -> new byte[][] {key, audienceRow(key, value, numbers)}));
    }

    private static byte[] message(byte[] value, SealedNumbers numbers) {
        return Codec.message(Codec.message(value, null), numbers);
    }

    /** {@code number ‖ 0 ‖ rest} → {@code token ‖ 0 ‖ rest}. */
    private static byte[] recipientFirst(byte[] key, SealedNumbers numbers) {
        int end = indexOf(key, 0);
        byte[] token = numbers.token(PhoneNumber.ofStored(new String(key, 0, end, StandardCharsets.US_ASCII)));
        return ByteBuffer.allocate(token.length + key.length - end).put(token).put(key, end, key.length - end).array();
    }

    /** {@code time ‖ queue key} with the queue key rewritten. */
    private static byte[] timed(byte[] key, UnaryOperator<byte[]> rest) {
        byte[] rewritten = rest.apply(Arrays.copyOfRange(key, Long.BYTES, key.length));
        return ByteBuffer.allocate(Long.BYTES + rewritten.length).put(key, 0, Long.BYTES).put(rewritten).array();
    }

    /** {@code id ‖ 0 ‖ extra ‖ number} → {@code id ‖ 0 ‖ extra ‖ token}, the number at the end. */
    private static byte[] afterPrefix(byte[] key, int extra, SealedNumbers numbers) {
        int start = indexOf(key, 0) + 1 + extra;
        byte[] token = numbers.token(PhoneNumber.ofStored(new String(key, start, key.length - start,
                StandardCharsets.US_ASCII)));
        return ByteBuffer.allocate(start + token.length).put(key, 0, start).put(token).array();
    }

    /** A contact in its business's time index: the number leaves the key and is kept sealed in the value. */
    private static byte[][] contactTime(byte[] key, SealedNumbers numbers) {
        int start = indexOf(key, 0) + 1 + Long.BYTES;
        PhoneNumber number = PhoneNumber.ofStored(new String(key, start, key.length - start, StandardCharsets.US_ASCII));
        return new byte[][] {afterPrefix(key, Long.BYTES, numbers), numbers.seal(number)};
    }

    /** An audience member (campaign ‖ 0 ‖ ordinal); the campaign's counter (campaign ‖ 1) is copied as it is. */
    private static byte[] audienceRow(byte[] key, byte[] value, SealedNumbers numbers) {
        int separator = indexOf(key, 0);
        if (separator == key.length) {
            return value;
        }
        return CampaignCodec.row(CampaignCodec.row(0, value, null), numbers);
    }

    private static int indexOf(byte[] key, int b) {
        int i = 0;
        while (i < key.length && key[i] != b) {
            i++;
        }
        return i;
    }

    private static void deleteQuietly(Path directory) {
        try {
            deleteTree(directory);
        } catch (IOException e) {
            throw new StorageException("cannot delete the partial sealed copy in " + directory + ": " + e.getMessage(),
                    e);
        }
    }

    static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path path : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }

    static int tokenLength() {
        return RecipientTokens.LENGTH;
    }
}
