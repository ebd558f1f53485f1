package org.optline.core.consent;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.optline.core.concurrent.Caches;
import org.optline.core.recipient.PhoneNumber;

/**
 * A bounded Caffeine cache in front of a {@link ConsentStore}; absent records are cached too,
 * because "never opted in" is the most common answer. A cached record is answered with an
 * already completed future, so admission reads it without leaving its thread.
 *
 * <p>Correctness rests on two orderings. A change is written to the store first and the cached
 * entry invalidated second, and only then is the change acknowledged, so no message submitted
 * after the acknowledgement can see the old record. A miss puts its pending future in the cache
 * before it reads the store, so an invalidation that races a load removes that load's entry: a
 * stale record can never outlive the change. Changes made elsewhere (another node) arrive on the
 * engine's {@link ConsentChangeFeed} and drop their entries the same way.
 */
public final class CachedConsentStore implements ConsentStore {
    private final ConsentStore store;
    private final AsyncCache<ConsentKey, ConsentRecord> cache;

    public CachedConsentStore(ConsentStore store, long maximumEntries) {
        this.store = store;
        this.cache = Caches.onCallingThread().maximumSize(maximumEntries).recordStats().buildAsync();
    }

    /** A cache that also follows the changes the engine reports from elsewhere. */
    public CachedConsentStore(ConsentStore store, long maximumEntries, ConsentChangeFeed changes) {
        this(store, maximumEntries);
        changes.subscribe(new ConsentChangeFeed.Listener() {
            @Override
            public void changed(ConsentKey key) {
                cache.synchronous().invalidate(key);
            }

            @Override
            public void erased(PhoneNumber recipient) {
                forget(recipient);
            }
        });
    }

    @Override
    public CompletableFuture<ConsentRecord> get(ConsentKey key) {
        return cache.get(key, (missing, executor) -> store.get(missing));
    }

    @Override
    public CompletableFuture<Map<ConsentKey, ConsentRecord>> getAll(Collection<? extends ConsentKey> keys) {
        return cache.getAll(keys, (missing, executor) -> store.getAll(missing));
    }

    @Override
    public CompletableFuture<Void> apply(ConsentChange change) {
        return store.apply(change).thenRun(() -> cache.synchronous().invalidate(change.key()));
    }

    @Override
    public CompletableFuture<Map<String, ConsentRecord>> recipientRecords(PhoneNumber recipient) {
        return store.recipientRecords(recipient);
    }

    @Override
    public CompletableFuture<List<ConsentChange>> history(PhoneNumber recipient) {
        return store.history(recipient);
    }

    /** The cache itself, so that the server can bind its statistics to metrics. */
    public AsyncCache<ConsentKey, ConsentRecord> cache() {
        return cache;
    }

    @Override
    public CompletableFuture<Void> erase(PhoneNumber recipient, String erasureId, Instant at) {
        return store.erase(recipient, erasureId, at).thenRun(() -> forget(recipient));
    }

    private void forget(PhoneNumber recipient) {
        // A rare operation: a scan of the cache's keys is cheaper than an index by recipient.
        cache.synchronous().asMap().keySet().removeIf(key -> key.recipient().equals(recipient));
    }
}
