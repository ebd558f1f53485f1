package org.optline.core.consent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.optline.core.recipient.PhoneNumber;

/** Consents in the heap: for tests and the explicit ephemeral mode. Lost on restart. */
public final class InMemoryConsentStore implements ConsentStore {
    private final Map<PhoneNumber, Map<String, ConsentRecord>> records = new ConcurrentHashMap<>();
    private final Map<PhoneNumber, List<ConsentChange>> history = new ConcurrentHashMap<>();
    private final Map<String, java.time.Instant> erasures = new ConcurrentHashMap<>();

    @Override
    public ConsentRecord get(ConsentKey key) {
        Map<String, ConsentRecord> ofRecipient = records.get(key.recipient());
        if (ofRecipient == null) {
            return ConsentRecord.NONE;
        }
        synchronized (ofRecipient) {
            return ofRecipient.getOrDefault(key.businessId(), ConsentRecord.NONE);
        }
    }

    @Override
    public CompletableFuture<Void> apply(ConsentChange change) {
        Map<String, ConsentRecord> ofRecipient = records.computeIfAbsent(change.recipient(), r -> new TreeMap<>());
        synchronized (ofRecipient) {
            ofRecipient.put(change.businessId(),
                    ofRecipient.getOrDefault(change.businessId(), ConsentRecord.NONE).apply(change));
            history.computeIfAbsent(change.recipient(), r -> new ArrayList<>()).add(change);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public Map<String, ConsentRecord> recipientRecords(PhoneNumber recipient) {
        Map<String, ConsentRecord> ofRecipient = records.get(recipient);
        if (ofRecipient == null) {
            return Map.of();
        }
        synchronized (ofRecipient) {
            return new TreeMap<>(ofRecipient);
        }
    }

    @Override
    public List<ConsentChange> history(PhoneNumber recipient) {
        Map<String, ConsentRecord> ofRecipient = records.get(recipient);
        if (ofRecipient == null) {
            return List.of();
        }
        synchronized (ofRecipient) {
            return List.copyOf(history.getOrDefault(recipient, List.of()));
        }
    }

    @Override
    public CompletableFuture<Void> erase(PhoneNumber recipient, String erasureId, java.time.Instant at) {
        Map<String, ConsentRecord> ofRecipient = records.remove(recipient);
        if (ofRecipient != null) {
            synchronized (ofRecipient) {
                history.remove(recipient);
            }
        }
        erasures.put(erasureId, at);
        return CompletableFuture.completedFuture(null);
    }

    /** When the recipient with this erasure id was erased, if ever. */
    public java.util.Optional<java.time.Instant> erasedAt(String erasureId) {
        return java.util.Optional.ofNullable(erasures.get(erasureId));
    }
}
