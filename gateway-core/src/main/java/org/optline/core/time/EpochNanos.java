package org.optline.core.time;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Time as nanoseconds since the epoch, read from an {@link InstantSource} so that tests can move
 * it: for token buckets, and for the caches whose entries expire with the domain's windows.
 */
public final class EpochNanos {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private EpochNanos() {}

    public static long of(Instant instant) {
        return instant.getEpochSecond() * NANOS_PER_SECOND + instant.getNano();
    }

    /** A Caffeine ticker on the given clock, so that expiry follows the clock tests move. */
    public static Ticker ticker(InstantSource clock) {
        return () -> of(clock.instant());
    }
}
