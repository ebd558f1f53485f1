package org.optline.loadtest;

import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.FullHttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.optline.proto.v1.ConsentClass;

/**
 * Opts the first {@code count} seeded recipients in through the consent API: every one to the
 * business's transactional class, and every other one (the even indexes) to its marketing
 * class too, which is where a run sends its offers. One opt-in in flight per connection.
 */
final class ConsentSeeder {
    private final Target target;
    private final Recipients recipients;
    private final GatewayRequests requests;
    private final HttpLanes lanes;
    private final long planned;
    private final AtomicLong next = new AtomicLong();
    private final LongAdder recorded = new LongAdder();
    private final Causes failures = new Causes();
    private final Causes problems = new Causes();

    ConsentSeeder(EventLoopGroup group, Target target, int count, int connections) {
        if (target.platformKey() == null) {
            throw new IllegalArgumentException(
                    "Missing the platform key: give --platform-key or set " + LoadTest.PLATFORM_KEY_VARIABLE);
        }
        this.target = target;
        this.recipients = new Recipients(count);
        this.requests = new GatewayRequests(target.host(), target.httpPort());
        this.lanes = new HttpLanes(group, target.host(), target.httpPort(), connections, p -> problems.add(p, 1));
        this.planned = opts(count);
    }

    /** How many opt-ins seeding {@code count} recipients makes: one each, and one more for every even index. */
    static long opts(int count) {
        return count + (count + 1L) / 2;
    }

    long planned() {
        return planned;
    }

    /** Opt-ins answered so far, acknowledged or not. */
    long done() {
        return recorded.sum() + failures.snapshot().values().stream().mapToLong(Long::longValue).sum();
    }

    /** Completes, never exceptionally, when every opt-in is answered or the seeder is stopped. */
    CompletableFuture<Void> start() {
        return lanes.run(this::nextOptIn);
    }

    void stop(String cause) {
        lanes.stop(cause);
    }

    /** What the seeding achieved so far; {@code elapsed} as measured by the caller. */
    Seeding result(Duration elapsed) {
        return new Seeding(planned, recorded.sum(), failures.snapshot(), problems.snapshot(), elapsed);
    }

    private HttpExchange nextOptIn() {
        long index = next.getAndIncrement();
        if (index >= planned) {
            return null;
        }
        int count = recipients.count();
        // the transactional opt-ins first, then the marketing ones of the even recipients
        String recipient = recipients.get((int) (index < count ? index : 2 * (index - count)));
        ConsentClass consentClass = index < count ? ConsentClass.TRANSACTIONAL_CLASS : ConsentClass.MARKETING_CLASS;
        return new HttpExchange() {
            @Override
            public FullHttpRequest request() {
                return requests.optIn(target.platformKey(), recipient, target.businessId(), consentClass);
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
     * What a seeding achieved.
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
            double seconds = elapsed.toNanos() / 1e9;
            StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                    "opt-ins: %,d of %,d recorded in %.1f s (%,.0f/s)%n", recorded, planned, seconds,
                    seconds > 0 ? recorded / seconds : 0));
            for (Map<String, Long> causes : List.of(failures, problems)) {
                causes.forEach((cause, n) -> out.append(String.format(Locale.ROOT, "  %-32s %8d%n", cause, n)));
            }
            return out.toString();
        }
    }
}
