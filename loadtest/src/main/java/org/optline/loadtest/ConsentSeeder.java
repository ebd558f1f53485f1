package org.optline.loadtest;

import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.FullHttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Opts the run's recipients in to the transactional class of its business through the consent
 * API, so that the balance alerts can be ACCEPTED rather than refused as NOT_OPTED_IN. Several
 * opt-ins are in flight at once, one per connection, over at least {@value #MIN_CONNECTIONS}
 * connections.
 */
final class ConsentSeeder implements Driver {
    /**
     * The fewest connections for opt-ins: each is a small request that waits on the consent
     * store, so more lanes than a sender's few hide the round trips.
     */
    static final int MIN_CONNECTIONS = 16;

    private final RunPlan plan;
    private final Recipients recipients;
    private final int count;
    private final GatewayRequests requests;
    private final HttpLanes lanes;
    private final AtomicInteger next = new AtomicInteger();
    private final LongAdder recorded = new LongAdder();
    private final Causes failures = new Causes();
    private final Causes problems = new Causes();

    /** Opts in the first {@code count} of {@code recipients}. */
    ConsentSeeder(EventLoopGroup group, RunPlan plan, Recipients recipients, int count) {
        if (count < 0 || count > recipients.count()) {
            throw new IllegalArgumentException("count must be between 0 and " + recipients.count() + ": " + count);
        }
        this.plan = plan;
        this.recipients = recipients;
        this.count = count;
        this.requests = new GatewayRequests(plan.host(), plan.httpPort());
        this.lanes = new HttpLanes(group, plan.host(), plan.httpPort(), Math.max(plan.connections(), MIN_CONNECTIONS),
                p -> problems.add(p, 1));
    }

    @Override
    public CompletableFuture<Void> start() {
        return lanes.run(this::nextOptIn);
    }

    @Override
    public void stop(String cause) {
        lanes.stop(cause);
    }

    /** What the seeding achieved so far; {@code elapsed} as measured by the caller. */
    Seeding result(Duration elapsed) {
        return new Seeding(count, recorded.sum(), failures.snapshot(), problems.snapshot(), elapsed);
    }

    private HttpExchange nextOptIn() {
        int index = next.getAndIncrement();
        if (index >= count) {
            return null;
        }
        return new HttpExchange() {
            @Override
            public FullHttpRequest request() {
                return requests.optIn(plan.platformKey(), recipients.get(index), plan.businessId());
            }

            @Override
            public boolean replied(HttpReply reply) {
                if (reply.status() == 200) {
                    recorded.increment();
                    return true;
                }
                failures.add("HTTP " + reply.status() + reply.errorReason().map(r -> " " + r).orElse(""), 1);
                // a refused platform key refuses every other opt-in too
                return reply.status() != 401 && reply.status() != 403;
            }

            @Override
            public void unanswered(String cause) {
                failures.add(cause, 1);
            }
        };
    }

    /**
     * What an opt-in phase achieved.
     *
     * @param planned the opt-ins meant to be made
     * @param recorded the opt-ins the gateway acknowledged
     * @param failures opt-ins not acknowledged, by cause
     * @param problems connection-level problems, by cause
     */
    record Seeding(long planned, long recorded, SortedMap<String, Long> failures, SortedMap<String, Long> problems,
            Duration elapsed) {

        boolean complete() {
            return recorded == planned;
        }

        String format() {
            StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "opt-ins: %d of %d recorded in %.3f s%n",
                    recorded, planned, elapsed.toNanos() / 1e9));
            for (Map<String, Long> causes : List.of(failures, problems)) {
                causes.forEach((cause, n) -> out.append(String.format(Locale.ROOT, "  %-32s %8d%n", cause, n)));
            }
            return out.toString();
        }
    }
}
