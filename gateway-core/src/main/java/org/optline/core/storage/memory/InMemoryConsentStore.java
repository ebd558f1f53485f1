package org.optline.core.storage.memory;

import static java.util.concurrent.CompletableFuture.completedFuture;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.optline.core.consent.ConsentChange;
import org.optline.core.consent.ConsentKey;
import org.optline.core.consent.ConsentRecord;
import org.optline.core.consent.ConsentStore;
import org.optline.core.consent.LocalConsentChanges;
import org.optline.core.recipient.PhoneNumber;

/** Consents in the heap: for tests and the explicit ephemeral mode. Lost on restart. */
public final class InMemoryConsentStore implements ConsentStore {
    private final Map<PhoneNumber, Map<String, ConsentRecord>> records = new ConcurrentHashMap<>();
    private final Map<PhoneNumber, List<ConsentChange>> history = new ConcurrentHashMap<>();
    private final Map<String, Instant> erasures = new ConcurrentHashMap<>();
    private final LocalConsentChanges feed;

    public InMemoryConsentStore() {
        this(new LocalConsentChanges());
    }

    InMemoryConsentStore(LocalConsentChanges feed) {
        this.feed = feed;
    }

    @Override
    public CompletableFuture<ConsentRecord> get(ConsentKey key) {
        return completedFuture(record(key));
    }

    @Override
    public CompletableFuture<Map<ConsentKey, ConsentRecord>> getAll(Collection<? extends ConsentKey> keys) {
        Map<ConsentKey, ConsentRecord> found = new LinkedHashMap<>();
        for (ConsentKey key : keys) {
            found.computeIfAbsent(key, this::record);
        }
        return completedFuture(found);
    }

    private ConsentRecord record(ConsentKey key) {
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
        feed.changed(change.key());
        return completedFuture(null);
    }

    @Override
    public CompletableFuture<Map<String, ConsentRecord>> recipientRecords(PhoneNumber recipient) {
        Map<String, ConsentRecord> ofRecipient = records.get(recipient);
        if (ofRecipient == null) {
            return completedFuture(Map.of());
        }
        synchronized (ofRecipient) {
            return completedFuture(new TreeMap<>(ofRecipient));
        }
    }

    @Override
    public CompletableFuture<List<ConsentChange>> history(PhoneNumber recipient) {
        Map<String, ConsentRecord> ofRecipient = records.get(recipient);
        if (ofRecipient == null) {
            return completedFuture(List.of());
        }
        synchronized (ofRecipient) {
            return completedFuture(List.copyOf(history.getOrDefault(recipient, List.of())));
        }
    }

    @Override
    public CompletableFuture<Void> erase(PhoneNumber recipient, String erasureId, Instant at) {
        Map<String, ConsentRecord> ofRecipient = records.remove(recipient);
        if (ofRecipient != null) {
            synchronized (ofRecipient) {
                history.remove(recipient);
            }
        }
        erasures.put(erasureId, at);
        feed.erased(recipient);
        return completedFuture(null);
    }

    /** When the recipient with this erasure id was erased, if ever. */
    public Optional<Instant> erasedAt(String erasureId) {
        return Optional.ofNullable(erasures.get(erasureId));
    }
}
