package org.optline.core.idempotency;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import org.optline.core.message.Outcome;

/**
 * Remembers the outcome of each (business, client_message_id) for a window (24 h), so that a
 * retry returns the first outcome instead of queuing a second copy. An outcome is remembered
 * as a future from the moment the first submission claims its key: a retry that arrives while
 * the first is still being admitted waits for the same answer instead of racing it.
 *
 * <p>This version lives in the heap with a bounded number of entries; past the bound the
 * oldest are forgotten first. The durable store keeps them across restarts.
 */
public final class IdempotencyWindow {
    /** SPEC: the same key within 24 h returns the first outcome. */
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(24);
    /** Roughly 200 bytes an entry: 2 million entries stay under half a gigabyte. */
    public static final long DEFAULT_MAXIMUM_ENTRIES = 2_000_000;

    private record Key(String businessId, String clientMessageId) {}

    private final Cache<Key, CompletableFuture<Outcome>> outcomes;

    public IdempotencyWindow(InstantSource clock, Duration window, long maximumEntries) {
        this.outcomes = Caffeine.newBuilder()
                .ticker(() -> nanos(clock.instant()))
                .expireAfterWrite(window)
                .maximumSize(maximumEntries)
                .build();
    }

    /**
     * Claims a key for a submission whose outcome will complete {@code outcome}. Returns null
     * when the claim is new, or the earlier submission's outcome when the key is taken.
     */
    public CompletableFuture<Outcome> claim(String businessId, String clientMessageId,
                                            CompletableFuture<Outcome> outcome) {
        return outcomes.asMap().putIfAbsent(new Key(businessId, clientMessageId), outcome);
    }

    /**
     * Releases a claim whose submission queued nothing and may be retried (OVERLOADED), so
     * that the retry is admitted afresh rather than answered with the refusal again.
     */
    public void release(String businessId, String clientMessageId, CompletableFuture<Outcome> outcome) {
        outcomes.asMap().remove(new Key(businessId, clientMessageId), outcome);
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
