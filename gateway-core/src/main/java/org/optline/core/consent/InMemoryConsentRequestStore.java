package org.optline.core.consent;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.optline.core.recipient.PhoneNumber;

/** Consent requests in the heap: for tests and the ephemeral mode. */
public final class InMemoryConsentRequestStore implements ConsentRequestStore {
    private record Key(String businessId, PhoneNumber recipient, ConsentClass consentClass) {}

    private final Map<Key, Instant> asked = new ConcurrentHashMap<>();

    @Override
    public Optional<Instant> lastAsked(String businessId, PhoneNumber recipient, ConsentClass consentClass) {
        return Optional.ofNullable(asked.get(new Key(businessId, recipient, consentClass)));
    }

    @Override
    public CompletableFuture<Void> recordAsked(String businessId, PhoneNumber recipient, ConsentClass consentClass,
                                               Instant at) {
        asked.put(new Key(businessId, recipient, consentClass), at);
        return CompletableFuture.completedFuture(null);
    }
}
