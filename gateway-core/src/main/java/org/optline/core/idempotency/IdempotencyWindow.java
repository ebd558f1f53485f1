package org.optline.core.idempotency;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.optline.core.message.Outcome;

/**
 * Remembers the outcome of each (business, client_message_id) for a window (24 h), so that a
 * retry returns the first outcome instead of queuing a second copy. An outcome is remembered
 * as a future from the moment the first submission claims its key: a retry that arrives while
 * the first is still being admitted waits for the same answer instead of racing it.
 *
 * <p>The window in the heap is bounded; past the bound the oldest entries are forgotten first.
 * With durable {@link IdempotencyRecords}, a key not in the heap is looked up on disk, so a retry
 * after a restart (or after eviction) is still recognised.
 */
public final class IdempotencyWindow {
    /** SPEC: the same key within 24 h returns the first outcome. */
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(24);
    /** Roughly 200 bytes an entry: 2 million entries stay under half a gigabyte. */
    public static final long DEFAULT_MAXIMUM_ENTRIES = 2_000_000;

    private record Key(String businessId, String clientMessageId) {}

    private final Cache<Key, CompletableFuture<Outcome>> outcomes;
    private final IdempotencyRecords records;

    /** A window in memory only. */
    public IdempotencyWindow(InstantSource clock, Duration window, long maximumEntries) {
        this(clock, window, maximumEntries, IdempotencyRecords.NONE);
    }

    /** A window whose first outcomes also come from, and go to, durable records. */
    public IdempotencyWindow(InstantSource clock, Duration window, long maximumEntries, IdempotencyRecords records) {
        this.records = records;
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
        Key key = new Key(businessId, clientMessageId);
        CompletableFuture<Outcome> earlier = outcomes.asMap().putIfAbsent(key, outcome);
        if (earlier != null) {
            return earlier;
        }
        // New to memory; it may still be a retry of a submission from before a restart. The
        // claim is already ours, so a concurrent retry waits on it while the disk is read.
        Optional<Outcome> recorded = records.find(businessId, clientMessageId);
        if (recorded.isEmpty()) {
            return null;
        }
        CompletableFuture<Outcome> first = CompletableFuture.completedFuture(recorded.get());
        outcomes.asMap().replace(key, outcome, first);
        return first;
    }

    /** Makes a definite refusal outlive a restart (accepted outcomes are made durable with their message). */
    public void remember(String businessId, String clientMessageId, Outcome refusal) {
        records.recordRefusal(businessId, clientMessageId, refusal);
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
