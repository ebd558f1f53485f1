package org.optline.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.optline.core.business.Business;
import org.optline.core.business.Credential;
import org.optline.core.business.Quality;
import org.optline.core.business.Tier;
import org.optline.core.limit.AntiSpamLimits;
import org.optline.core.limit.AntiSpamPolicy;
import org.optline.core.limit.HeapLimitStore;
import org.optline.core.limit.Standings;
import org.optline.core.message.Category;
import org.optline.core.recipient.PhoneNumber;

/**
 * The anti-spam stage's work for one message, as a node on a store does it: the verdict, then
 * the settle once the message is stored. For alerts the figure includes recording the counts in
 * an in-heap store (a sorted set insert), as the in-memory engine does; the durable engine puts
 * them in the message's group commit instead (two puts and a delete in its batch).
 * {@link #alertOfATieredBusiness} is a business with a tier, whose every message counts a
 * contact, to recipients whose windows are cached; {@link #alertCacheMiss} the
 * same through a cache a hundredth the size of the recipients, each miss read from an in-heap
 * store; {@link #offer} a marketing message, which also counts against the recipient's caps and
 * duplicate content. A business with an unlimited tier's alerts skip the stage's counting
 * altogether (the pipeline benchmark's path).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class AntiSpamBenchmark {
    private static final Business TIERED = new Business("tiered-bank", List.of(Credential.ofSecret("olk_tiered")),
            Integer.MAX_VALUE, Tier.TIER_100K, Quality.GREEN, Map.of());
    private static final Business SHOP = new Business("shop", List.of(Credential.ofSecret("olk_shop")),
            Integer.MAX_VALUE, Tier.UNLIMITED, Quality.GREEN, Map.of());

    /** A clock that moves a day on whenever the recipients start over, so that no cap is ever reached. */
    static final class DayPerRound implements InstantSource {
        private final InstantSource system = InstantSource.system();
        private Duration ahead = Duration.ZERO;

        void nextDay() {
            ahead = ahead.plus(Duration.ofDays(1)).plusMinutes(1);
        }

        @Override
        public Instant instant() {
            return system.instant().plus(ahead);
        }
    }

    /** Limits on an in-heap store, recipients to cycle through, and the cache size of the variant. */
    @State(Scope.Thread)
    public abstract static class Limits {
        @Param("100000")
        public int recipients;

        final DayPerRound clock = new DayPerRound();
        final HeapLimitStore store = new HeapLimitStore();
        AntiSpamLimits limits;
        PhoneNumber[] numbers;
        int next;

        abstract long cacheEntries();

        @Setup(Level.Trial)
        public void makeTheLimits() {
            numbers = Recipients.numbers(recipients).stream().map(Recipients::parse).toArray(PhoneNumber[]::new);
            limits = new AntiSpamLimits(new AntiSpamPolicy(5, 2, Duration.ofHours(24), cacheEntries()), clock,
                    store, Standings.CONFIGURED);
        }

        PhoneNumber nextRecipient() {
            if (next == numbers.length) {
                next = 0;
                clock.nextDay();
            }
            return numbers[next++];
        }
    }

    /** A cache that holds every recipient. */
    public static class Cached extends Limits {
        @Override
        long cacheEntries() {
            return 1_000_000;
        }
    }

    /** A cache a hundredth the size of the recipients. */
    public static class Undersized extends Limits {
        @Override
        long cacheEntries() {
            return Math.max(1, recipients / 100);
        }
    }

    /**
     * Admits, records the counts in the store (for alerts: the windows' cursors read contacts back
     * from it, and the undersized cache loads from it) and settles.
     */
    private static AntiSpamLimits.Verdict admitAndSettle(Limits state, Business business, Category category,
                                                         String text, boolean record) {
        AntiSpamLimits.Verdict verdict = state.limits.admit(business, state.nextRecipient(), category, text);
        if (verdict.refusal().isPresent()) {
            throw new IllegalStateException("the benchmark's message was refused: " + verdict.refusal().get());
        }
        if (record) {
            state.store.record(verdict.counts());
        }
        verdict.settle();
        return verdict;
    }

    @Benchmark
    public AntiSpamLimits.Verdict alertOfATieredBusiness(Cached state) {
        return admitAndSettle(state, TIERED, Category.TRANSACTIONAL, "Your balance is 12.50 EUR", true);
    }

    @Benchmark
    public AntiSpamLimits.Verdict alertCacheMiss(Undersized state) {
        return admitAndSettle(state, TIERED, Category.TRANSACTIONAL, "Your balance is 12.50 EUR", true);
    }

    @Benchmark
    public AntiSpamLimits.Verdict offer(Cached state) {
        return admitAndSettle(state, SHOP, Category.MARKETING, "Spring sale: 20% off everything this weekend", false);
    }
}
