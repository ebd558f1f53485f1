package org.optline.benchmarks;

import com.github.benmanes.caffeine.cache.stats.CacheStats;
import java.util.List;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.optline.core.consent.CachedConsentStore;
import org.optline.core.consent.ConsentKey;
import org.optline.core.consent.ConsentRecord;
import org.optline.core.storage.memory.InMemoryConsentStore;
import org.optline.core.recipient.PhoneNumber;

/**
 * One consent lookup as the consent stage makes it: a {@link CachedConsentStore} in front of an
 * {@link InMemoryConsentStore}, for recipients who opted in to the business's transactional
 * messages. {@link #cachedRecipient} is the hot path, every record already in the cache;
 * {@link #uncachedRecipient} is a cache too small for its recipients, so nearly every lookup
 * loads from the store and evicts another entry.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 1)
// A fixed heap, so that the collector sizes its generations alike on every machine.
@Fork(value = 2, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class ConsentLookupBenchmark {
    static final String BUSINESS_ID = "acme-bank";
    /** The gateway's default consent cache, which holds every recipient of this benchmark. */
    static final long LARGE_CACHE_ENTRIES = 1_000_000;
    /** The undersized cache holds this share of the recipients: a lookup finds its record about 1% of the time. */
    static final int UNDERSIZED_CACHE_DIVISOR = 100;

    /** Recipients, their consents, and a cache sized by the subclass; lookups cycle through the recipients. */
    @State(Scope.Thread)
    public abstract static class Lookups {
        /** Opted-in recipients to cycle through. */
        @Param("100000")
        public int recipients;

        CachedConsentStore consents;
        PhoneNumber[] numbers;
        int next;
        private CacheStats atIterationStart;

        abstract long cacheEntries();

        @Setup(Level.Trial)
        public void optInEveryRecipient() {
            List<PhoneNumber> parsed = Recipients.numbers(recipients).stream().map(Recipients::parse).toList();
            InMemoryConsentStore store = new InMemoryConsentStore();
            Recipients.optIn(store, BUSINESS_ID, parsed);
            consents = new CachedConsentStore(store, cacheEntries());
            numbers = parsed.toArray(PhoneNumber[]::new);
            for (PhoneNumber number : numbers) {
                consents.get(new ConsentKey(number, BUSINESS_ID)).join();
            }
            consents.cache().synchronous().cleanUp();
        }

        @Setup(Level.Iteration)
        public void rememberCacheStats() {
            atIterationStart = consents.cache().synchronous().stats();
        }

        /** The cache's hit rate during the iteration, so that a hit benchmark cannot quietly measure misses. */
        double iterationHitRate() {
            return consents.cache().synchronous().stats().minus(atIterationStart).hitRate();
        }

        /** The next recipient's key, made fresh as the consent stage makes it. */
        ConsentKey nextKey() {
            PhoneNumber recipient = numbers[next];
            next = next + 1 == numbers.length ? 0 : next + 1;
            return new ConsentKey(recipient, BUSINESS_ID);
        }
    }

    /** A cache that holds every recipient, warmed before the first iteration. */
    @State(Scope.Thread)
    public static class Cached extends Lookups {
        @Override
        long cacheEntries() {
            return LARGE_CACHE_ENTRIES;
        }

        @TearDown(Level.Iteration)
        public void checkEveryLookupHit() {
            double hitRate = iterationHitRate();
            if (hitRate < 0.99) {
                throw new IllegalStateException("the cached-recipient lookups hit only " + hitRate + " of the time");
            }
        }
    }

    /** A cache a hundredth the size of the recipients, so that cycling through them misses. */
    @State(Scope.Thread)
    public static class Undersized extends Lookups {
        @Override
        long cacheEntries() {
            return Math.max(1, recipients / UNDERSIZED_CACHE_DIVISOR);
        }

        @TearDown(Level.Iteration)
        public void checkLookupsMissed() {
            double hitRate = iterationHitRate();
            if (hitRate > 0.05) {
                throw new IllegalStateException("the uncached-recipient lookups hit " + hitRate + " of the time");
            }
        }
    }

    @Benchmark
    public ConsentRecord cachedRecipient(Cached lookups) {
        return lookups.consents.get(lookups.nextKey()).join();
    }

    @Benchmark
    public ConsentRecord uncachedRecipient(Undersized lookups) {
        return lookups.consents.get(lookups.nextKey()).join();
    }
}
