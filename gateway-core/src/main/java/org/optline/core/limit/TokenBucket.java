package org.optline.core.limit;

import java.time.InstantSource;
import org.optline.core.time.EpochNanos;

/**
 * A token bucket: {@code ratePerSecond} tokens a second, holding at most {@code burst}.
 * Thread-safe; the critical section is a few arithmetic operations.
 */
public final class TokenBucket {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final InstantSource clock;
    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long lastRefillNanos;

    public TokenBucket(InstantSource clock, int ratePerSecond, int burst) {
        if (ratePerSecond <= 0 || burst <= 0) {
            throw new IllegalArgumentException("rate and burst must be positive");
        }
        this.clock = clock;
        this.ratePerNano = ratePerSecond / (double) NANOS_PER_SECOND;
        this.burst = burst;
        this.tokens = burst;
        this.lastRefillNanos = EpochNanos.of(clock.instant());
    }

    /** Takes up to {@code wanted} tokens and says how many it took. */
    public synchronized int tryTake(int wanted) {
        refill();
        int granted = (int) Math.min(wanted, Math.floor(tokens));
        tokens -= granted;
        return granted;
    }

    /** How long until one more token is there, in milliseconds, at least 1. */
    public synchronized long millisUntilNextToken() {
        refill();
        double missing = 1.0 - tokens;
        if (missing <= 0) {
            return 1;
        }
        return Math.max(1, (long) Math.ceil(missing / ratePerNano / 1_000_000.0));
    }

    private void refill() {
        long now = EpochNanos.of(clock.instant());
        long elapsed = now - lastRefillNanos;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * ratePerNano);
            lastRefillNanos = now;
        }
    }

}
