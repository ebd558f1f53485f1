package org.optline.storage.rocksdb;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.optline.core.consent.ConsentClass;
import org.optline.core.consent.ConsentRequestStore;
import org.optline.core.recipient.PhoneNumber;

/**
 * Consent requests on disk: when a business last asked, under {@code recipient ‖ 0 ‖ business ‖ 0 ‖
 * class}, so that a recipient's requests are one range, erased together.
 */
public final class RocksConsentRequestStore implements ConsentRequestStore {
    private final RocksStorage storage;

    public RocksConsentRequestStore(RocksStorage storage) {
        this.storage = storage;
    }

    @Override
    public CompletableFuture<Optional<Instant>> lastAsked(String businessId, PhoneNumber recipient,
                                                          ConsentClass consentClass) {
        return RocksStorage.read(() -> {
            byte[] value = storage.get(storage.consentRequests, key(businessId, recipient, consentClass));
            if (value == null) {
                return Optional.empty();
            }
            ByteBuffer buffer = ByteBuffer.wrap(value);
            return Optional.of(Instant.ofEpochSecond(buffer.getLong(), buffer.getInt()));
        });
    }

    @Override
    public CompletableFuture<Void> recordAsked(String businessId, PhoneNumber recipient, ConsentClass consentClass,
                                               Instant at) {
        byte[] value = ByteBuffer.allocate(Long.BYTES + Integer.BYTES)
                .putLong(at.getEpochSecond()).putInt(at.getNano()).array();
        byte[] key = key(businessId, recipient, consentClass);
        return storage.write(group -> {
            group.put(storage.consentRequests, key, value);
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> erase(PhoneNumber recipient) {
        byte[] prefix = Keys.recipientPrefix(storage.token(recipient));
        return storage.write(group -> {
            List<byte[]> keys = new ArrayList<>();
            storage.scan(storage.consentRequests, prefix, (key, value) -> keys.add(key));
            for (byte[] key : keys) {
                group.delete(storage.consentRequests, key);
            }
            return null;
        });
    }

    private byte[] key(String businessId, PhoneNumber recipient, ConsentClass consentClass) {
        // The class name never contains the zero byte, and business ids are [a-z0-9-].
        return Keys.consent(storage.token(recipient), businessId + "\u0000" + consentClass.name());
    }
}
