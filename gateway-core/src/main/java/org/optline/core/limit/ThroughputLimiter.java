package org.optline.core.limit;

import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.optline.core.business.Business;

/**
 * The per-business throughput limit: one {@link TokenBucket} per business that refills at the
 * business's messages-per-second and holds one second's worth, so a sender may burst a full
 * second of traffic at once and no more.
 */
public final class ThroughputLimiter {
    private final InstantSource clock;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    public ThroughputLimiter(InstantSource clock) {
        this.clock = clock;
    }

    /** Takes up to {@code messages} permits for the business and says how many it got. */
    public int tryTake(Business business, int messages) {
        return bucket(business).tryTake(messages);
    }

    /** When the business may send again. */
    public long retryAfterMillis(Business business) {
        return bucket(business).millisUntilNextToken();
    }

    private TokenBucket bucket(Business business) {
        return buckets.computeIfAbsent(business.id(),
                id -> new TokenBucket(clock, business.throughputPerSecond(), business.throughputPerSecond()));
    }
}
