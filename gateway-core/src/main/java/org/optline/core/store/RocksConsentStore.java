package org.optline.core.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.optline.core.consent.ConsentChange;
import org.optline.core.consent.ConsentKey;
import org.optline.core.consent.ConsentRecord;
import org.optline.core.consent.ConsentStore;
import org.optline.core.recipient.PhoneNumber;

/**
 * Consents on disk: the record under {@code recipient ‖ 0 ‖ business}, and each change appended
 * to the recipient's audit trail under {@code recipient ‖ 0 ‖ sequence}, both in the same synced
 * group commit, so a change is acknowledged only once it is on stable storage.
 */
public final class RocksConsentStore implements ConsentStore {
    private final RocksStorage storage;

    public RocksConsentStore(RocksStorage storage) {
        this.storage = storage;
    }

    @Override
    public ConsentRecord get(ConsentKey key) {
        byte[] value = storage.get(storage.consents, Keys.consent(key.recipient().e164(), key.businessId()));
        return value == null ? ConsentRecord.NONE : Codec.record(value);
    }

    @Override
    public CompletableFuture<Void> apply(ConsentChange change) {
        return storage.write(group -> {
            byte[] key = Keys.consent(change.recipient().e164(), change.businessId());
            byte[] current = group.get(storage.consents, key);
            ConsentRecord updated = (current == null ? ConsentRecord.NONE : Codec.record(current)).apply(change);
            group.putVisible(storage.consents, key, Codec.record(updated));
            group.put(storage.consentEvents, Keys.sequenced(change.recipient().e164(), group.nextSequence()),
                    Codec.change(change));
            return null;
        });
    }

    @Override
    public Map<String, ConsentRecord> recipientRecords(PhoneNumber recipient) {
        byte[] prefix = Keys.recipientPrefix(recipient.e164());
        Map<String, ConsentRecord> records = new TreeMap<>();
        storage.scan(storage.consents, prefix, (key, value) -> {
            records.put(Keys.businessOf(key, prefix.length), Codec.record(value));
            return true;
        });
        return records;
    }

    @Override
    public List<ConsentChange> history(PhoneNumber recipient) {
        List<ConsentChange> changes = new ArrayList<>();
        storage.scan(storage.consentEvents, Keys.recipientPrefix(recipient.e164()), (key, value) -> {
            changes.add(Codec.change(value));
            return true;
        });
        return changes;
    }

    @Override
    public CompletableFuture<Void> erase(PhoneNumber recipient, String erasureId, java.time.Instant at) {
        byte[] prefix = Keys.recipientPrefix(recipient.e164());
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
        });
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
