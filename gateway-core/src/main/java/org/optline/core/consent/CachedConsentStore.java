package org.optline.core.consent;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.optline.core.recipient.PhoneNumber;

/**
 * A bounded Caffeine cache in front of a {@link ConsentStore}; absent records are cached too,
 * because "never opted in" is the most common answer.
 *
 * <p>Correctness rests on two orderings. A change is written to the store first and the cached
 * entry invalidated second, and only then is the change acknowledged, so no message submitted
 * after the acknowledgement can see the old record. Misses load one key at a time through
 * {@link Cache#get}, which holds the key's entry while it loads, so an invalidation waits for a
 * racing load and removes what that load put in: a stale record can never outlive the change.
 */
public final class CachedConsentStore implements ConsentStore {
    private final ConsentStore store;
    private final Cache<ConsentKey, ConsentRecord> cache;

    public CachedConsentStore(ConsentStore store, long maximumEntries) {
        this.store = store;
        this.cache = Caffeine.newBuilder().maximumSize(maximumEntries).recordStats().build();
    }

    @Override
    public ConsentRecord get(ConsentKey key) {
        return cache.get(key, store::get);
    }

    @Override
    public CompletableFuture<Void> apply(ConsentChange change) {
        return store.apply(change).thenRun(() -> cache.invalidate(change.key()));
    }

    @Override
    public Map<String, ConsentRecord> recipientRecords(PhoneNumber recipient) {
        return store.recipientRecords(recipient);
    }

    @Override
    public List<ConsentChange> history(PhoneNumber recipient) {
        return store.history(recipient);
    }

    /** The cache itself, so that the server can bind its statistics to metrics. */
    public Cache<ConsentKey, ConsentRecord> cache() {
        return cache;
    }

    @Override
    public CompletableFuture<Void> erase(PhoneNumber recipient, String erasureId, java.time.Instant at) {
        // A rare operation: a scan of the cache's keys is cheaper than an index by recipient.
        return store.erase(recipient, erasureId, at)
                .thenRun(() -> cache.asMap().keySet().removeIf(key -> key.recipient().equals(recipient)));
    }
}
