package org.optline.core.storage.memory;

import static java.util.concurrent.CompletableFuture.completedFuture;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.optline.core.consent.ConsentClass;
import org.optline.core.consent.ConsentRequestStore;
import org.optline.core.recipient.PhoneNumber;

/** Consent requests in the heap: for tests and the ephemeral mode. */
public final class InMemoryConsentRequestStore implements ConsentRequestStore {
    private record Key(String businessId, PhoneNumber recipient, ConsentClass consentClass) {}

    private final Map<Key, Instant> asked = new ConcurrentHashMap<>();

    @Override
    public CompletableFuture<Optional<Instant>> lastAsked(String businessId, PhoneNumber recipient,
                                                          ConsentClass consentClass) {
        return completedFuture(Optional.ofNullable(asked.get(new Key(businessId, recipient, consentClass))));
    }

    @Override
    public CompletableFuture<Void> recordAsked(String businessId, PhoneNumber recipient, ConsentClass consentClass,
                                               Instant at) {
        asked.put(new Key(businessId, recipient, consentClass), at);
        return completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> erase(PhoneNumber recipient) {
        asked.keySet().removeIf(key -> key.recipient().equals(recipient));
        return completedFuture(null);
    }
}
