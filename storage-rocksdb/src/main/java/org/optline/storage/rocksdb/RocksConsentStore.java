package org.optline.storage.rocksdb;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.optline.core.consent.ConsentChange;
import org.optline.core.consent.ConsentKey;
import org.optline.core.consent.ConsentRecord;
import org.optline.core.consent.ConsentStore;
import org.optline.core.consent.LocalConsentChanges;
import org.optline.core.recipient.PhoneNumber;

/**
 * Consents on disk: the record under {@code recipient ‖ 0 ‖ business}, and each change appended
 * to the recipient's audit trail under {@code recipient ‖ 0 ‖ sequence}, both in the same synced
 * group commit, so a change is acknowledged only once it is on stable storage.
 */
public final class RocksConsentStore implements ConsentStore {
    private final RocksStorage storage;
    private final LocalConsentChanges feed;

    public RocksConsentStore(RocksStorage storage) {
        this(storage, new LocalConsentChanges());
    }

    /** A store that reports each change on {@code feed} once it is durable. */
    public RocksConsentStore(RocksStorage storage, LocalConsentChanges feed) {
        this.storage = storage;
        this.feed = feed;
    }

    @Override
    public CompletableFuture<ConsentRecord> get(ConsentKey key) {
        return RocksStorage.read(() -> record(key));
    }

    @Override
    public CompletableFuture<Map<ConsentKey, ConsentRecord>> getAll(Collection<? extends ConsentKey> keys) {
        return RocksStorage.read(() -> {
            Map<ConsentKey, ConsentRecord> found = new LinkedHashMap<>();
            for (ConsentKey key : keys) {
                found.computeIfAbsent(key, this::record);
            }
            return found;
        });
    }

    private ConsentRecord record(ConsentKey key) {
        byte[] value = storage.get(storage.consents, Keys.consent(storage.token(key.recipient()), key.businessId()));
        return value == null ? ConsentRecord.NONE : Codec.record(value);
    }

    @Override
    public CompletableFuture<Void> apply(ConsentChange change) {
        return storage.write(group -> {
            byte[] key = Keys.consent(storage.token(change.recipient()), change.businessId());
            byte[] current = group.get(storage.consents, key);
            ConsentRecord updated = (current == null ? ConsentRecord.NONE : Codec.record(current)).apply(change);
            group.putVisible(storage.consents, key, Codec.record(updated));
            group.put(storage.consentEvents, Keys.sequenced(storage.token(change.recipient()), group.nextSequence()),
                    Codec.change(change, storage.numbers()));
            return null;
        }).thenRun(() -> feed.changed(change.key()));
    }

    @Override
    public CompletableFuture<Map<String, ConsentRecord>> recipientRecords(PhoneNumber recipient) {
        return RocksStorage.read(() -> records(recipient));
    }

    private Map<String, ConsentRecord> records(PhoneNumber recipient) {
        byte[] prefix = Keys.recipientPrefix(storage.token(recipient));
        Map<String, ConsentRecord> records = new TreeMap<>();
        storage.scan(storage.consents, prefix, (key, value) -> {
            records.put(Keys.businessOf(key, prefix.length), Codec.record(value));
            return true;
        });
        return records;
    }

    @Override
    public CompletableFuture<List<ConsentChange>> history(PhoneNumber recipient) {
        return RocksStorage.read(() -> changes(recipient));
    }

    private List<ConsentChange> changes(PhoneNumber recipient) {
        List<ConsentChange> changes = new ArrayList<>();
        storage.scan(storage.consentEvents, Keys.recipientPrefix(storage.token(recipient)), (key, value) -> {
            changes.add(Codec.change(value, storage.numbers()));
            return true;
        });
        return changes;
    }

    @Override
    public CompletableFuture<Void> erase(PhoneNumber recipient, String erasureId, java.time.Instant at) {
        byte[] prefix = Keys.recipientPrefix(storage.token(recipient));
        return storage.write(group -> {
            java.util.List<byte[]> keys = new ArrayList<>();
            storage.scan(storage.consents, prefix, (key, value) -> keys.add(key));
            for (byte[] key : keys) {
                group.delete(storage.consents, key);
            }
            keys.clear();
            storage.scan(storage.consentEvents, prefix, (key, value) -> keys.add(key));
            for (byte[] key : keys) {
                group.delete(storage.consentEvents, key);
            }
            group.put(storage.erasures, erasureId.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    java.nio.ByteBuffer.allocate(12).putLong(at.getEpochSecond()).putInt(at.getNano()).array());
            return null;
        }).thenRun(() -> feed.erased(recipient));
    }

    /** When the recipient with this erasure id was erased, if ever. */
    public java.util.Optional<java.time.Instant> erasedAt(String erasureId) {
        byte[] value = storage.get(storage.erasures, erasureId.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        if (value == null) {
            return java.util.Optional.empty();
        }
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(value);
        return java.util.Optional.of(java.time.Instant.ofEpochSecond(buffer.getLong(), buffer.getInt()));
    }
}
