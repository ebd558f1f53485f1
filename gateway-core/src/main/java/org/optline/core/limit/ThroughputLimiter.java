package org.optline.core.limit;

import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import org.optline.core.business.Business;

/**
 * The per-business throughput limit: one {@link TokenBucket} per business that refills at the
 * business's messages-per-second and holds one second's worth, so a sender may burst a full
 * second of traffic at once and no more.
 *
 * <p>When several nodes share the work (on Kafka), each node holds its share of the limit: the
 * limit divided by the number of live nodes, rounded up. The cluster then takes at most the limit
 * per second plus one second's worth, whatever the load balancer does; a sender whose traffic all
 * goes to one node gets that node's share only.
 */
public final class ThroughputLimiter {
    private final InstantSource clock;
    private final IntSupplier nodes;
    private final Map<String, Shared> buckets = new ConcurrentHashMap<>();

    /** A bucket made for a number of nodes; remade when that number changes. */
    private record Shared(int nodes, TokenBucket bucket) {}

    public ThroughputLimiter(InstantSource clock) {
        this(clock, () -> 1);
    }

    /** A limiter whose node holds {@code 1 / nodes} of each business's limit. */
    public ThroughputLimiter(InstantSource clock, IntSupplier nodes) {
        this.clock = clock;
        this.nodes = nodes;
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
        int sharing = Math.max(1, nodes.getAsInt());
        Shared shared = buckets.get(business.id());
        if (shared == null || shared.nodes() != sharing) {
            // A node joined or left: a fresh bucket holding the new share (full, as at a start).
            int share = (business.throughputPerSecond() + sharing - 1) / sharing;
            Shared fresh = new Shared(sharing, new TokenBucket(clock, share, share));
            shared = shared == null ? buckets.computeIfAbsent(business.id(), id -> fresh)
                    : buckets.compute(business.id(), (id, old) -> old == null || old.nodes() != sharing ? fresh : old);
        }
        return shared.bucket();
    }
}
