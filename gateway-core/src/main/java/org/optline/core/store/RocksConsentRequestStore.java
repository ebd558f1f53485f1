package org.optline.core.store;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.optline.core.consent.ConsentClass;
import org.optline.core.consent.ConsentRequestStore;
import org.optline.core.recipient.PhoneNumber;

/** Consent requests on disk: when a business last asked, under {@code recipient ‖ 0 ‖ business ‖ 0 ‖ class}. */
public final class RocksConsentRequestStore implements ConsentRequestStore {
    private final RocksStorage storage;

    public RocksConsentRequestStore(RocksStorage storage) {
        this.storage = storage;
    }

    @Override
    public Optional<Instant> lastAsked(String businessId, PhoneNumber recipient, ConsentClass consentClass) {
        byte[] value = storage.get(storage.consentRequests, key(businessId, recipient, consentClass));
        if (value == null) {
            return Optional.empty();
        }
        ByteBuffer buffer = ByteBuffer.wrap(value);
        return Optional.of(Instant.ofEpochSecond(buffer.getLong(), buffer.getInt()));
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

    private static byte[] key(String businessId, PhoneNumber recipient, ConsentClass consentClass) {
        // The class name never contains the zero byte, and business ids are [a-z0-9-].
        return Keys.consent(recipient.e164(), businessId + "\u0000" + consentClass.name());
    }
}
