package org.optline.core.idempotency;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.optline.core.concurrent.Caches;
import org.optline.core.message.Outcome;
import org.optline.core.message.Reason;
import org.optline.core.time.EpochNanos;

/**
 * Remembers the outcome of each (business, client_message_id) for a window (24 h), so that a
 * retry returns the first outcome instead of queuing a second copy. A key is claimed by the
 * first submission's future the moment it is admitted: a retry that arrives while the first is
 * still being admitted waits for the same answer instead of racing it.
 *
 * <p>Claims still being admitted are never evicted (their number is bounded by admission's own
 * bounds). Decided outcomes are kept in memory for the window; with durable
 * {@link IdempotencyRecords} the memory holds only the most useful of them, up to a bound, and a
 * key not in memory is looked up on disk, so a retry after eviction or a restart is still
 * recognised. Without durable records nothing is evicted before the window ends: the heap then
 * grows with traffic, as everything does in the in-memory mode.
 */
public final class IdempotencyWindow {
    /** SPEC: the same key within 24 h returns the first outcome. */
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(24);
    /**
     * Decided outcomes kept in memory beside the durable records: enough for the retries of the
     * last second or so at a high rate. Every new key is looked up on disk anyway (it may be older
     * than anything in memory), so a larger cache only saves a disk read for a retry, while each
     * entry outlives a young collection: with 500 000, G1's pauses grew to 170 ms under load
     * (docs/benchmarks.md); with 20 000 they stay near 40 ms.
     */
    public static final long DEFAULT_MAXIMUM_ENTRIES = 20_000;

    private record Key(String businessId, String clientMessageId) {}

    private final ConcurrentMap<Key, CompletableFuture<Outcome>> claims = new ConcurrentHashMap<>();
    private final Cache<Key, Outcome> decided;
    private final IdempotencyRecords records;
    private final InstantSource clock;

    /** A window in memory only. */
    public IdempotencyWindow(InstantSource clock, Duration window) {
        this(clock, window, DEFAULT_MAXIMUM_ENTRIES, IdempotencyRecords.NONE);
    }

    /**
     * A window whose decided outcomes also come from, and go to, durable records.
     *
     * @param maximumEntries decided outcomes kept in memory, when {@code records} is durable
     */
    public IdempotencyWindow(InstantSource clock, Duration window, long maximumEntries, IdempotencyRecords records) {
        this.records = records;
        this.clock = clock;
        Caffeine<Object, Object> builder = Caches.onCallingThread()
                .ticker(EpochNanos.ticker(clock))
                .expireAfterWrite(window);
        if (records != IdempotencyRecords.NONE) {
            // Safe to bound: whatever memory forgets, the disk still answers.
            builder.maximumSize(maximumEntries);
        }
        this.decided = builder.build();
    }

    /**
     * Claims a key for a submission whose outcome will complete {@code outcome}. Completes with
     * null when the claim is new, or with the earlier submission's outcome when the key is taken.
     * It completes at once unless the key has to be looked up in the durable records.
     */
    public CompletableFuture<CompletableFuture<Outcome>> claim(String businessId, String clientMessageId,
                                                               CompletableFuture<Outcome> outcome) {
        Key key = new Key(businessId, clientMessageId);
        CompletableFuture<Outcome> pending = claims.putIfAbsent(key, outcome);
        if (pending != null) {
            return CompletableFuture.completedFuture(pending);
        }
        // Ours for now; it may still be a key decided earlier (in memory or, after a restart or
        // an eviction, on disk). A concurrent retry meanwhile waits on our claim.
        Outcome first = decided.getIfPresent(key);
        if (first != null) {
            return CompletableFuture.completedFuture(earlier(key, outcome, first));
        }
        return records.find(businessId, clientMessageId).handle((found, failure) -> {
            if (failure != null) {
                claims.remove(key, outcome);
                throw new CompletionException(failure);
            }
            if (found.isPresent()) {
                decided.put(key, found.get());
                return earlier(key, outcome, found.get());
            }
            keepWhenDecided(key, outcome);
            return null;
        });
    }

    private CompletableFuture<Outcome> earlier(Key key, CompletableFuture<Outcome> claim, Outcome first) {
        claims.remove(key, claim);
        return CompletableFuture.completedFuture(first);
    }

    private void keepWhenDecided(Key key, CompletableFuture<Outcome> outcome) {
        outcome.whenComplete((decision, failure) -> {
            // Decided before the claim goes, so that there is no moment with neither; and a
            // refusal on disk before it is in the bounded cache, which may drop a fresh entry
            // within a few hundred newer ones. (An acceptance is on disk before it completes:
            // its record is in the message's own append.)
            if (failure == null && !decision.reason().isRetryable()) {
                if (decision.reason() != Reason.ACCEPTED) {
                    records.recordRefusal(new IdempotencyRecord(key.businessId(), key.clientMessageId(), decision,
                            clock.instant()));
                }
                decided.put(key, decision);
            }
            claims.remove(key, outcome);
        });
    }

    /**
     * Releases a claim whose submission queued nothing and may be retried (OVERLOADED), before
     * its answer goes out, so that the retry is admitted afresh rather than joined to this one.
     */
    public void release(String businessId, String clientMessageId, CompletableFuture<Outcome> outcome) {
        claims.remove(new Key(businessId, clientMessageId), outcome);
    }

    /**
     * The decided first outcome of a key within the window, from memory or the durable records;
     * empty while none was decided (a claim still being admitted is not an outcome yet).
     */
    public CompletableFuture<Optional<Outcome>> firstOutcome(String businessId, String clientMessageId) {
        Outcome first = decided.getIfPresent(new Key(businessId, clientMessageId));
        if (first != null) {
            return CompletableFuture.completedFuture(Optional.of(first));
        }
        return records.find(businessId, clientMessageId);
    }

    /** Forgets a decided key whose message was erased (the durable record goes with the message). */
    public void forget(String businessId, String clientMessageId) {
        decided.invalidate(new Key(businessId, clientMessageId));
    }
}
