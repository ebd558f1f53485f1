package org.optline.server.guard;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.net.InetAddress;
import java.time.Duration;
import java.time.InstantSource;
import org.optline.core.time.EpochNanos;

/**
 * Failed authentications per client address, on both listeners together. After
 * {@code auth.max-failures} failures an address is blocked until {@code auth.failure-window}
 * has passed since its last failure: while blocked, its attempts are refused without the key
 * being looked at, so they teach a guesser nothing and cost the node nothing, and a blocked
 * address gets no new failures, so its block runs out. A guesser thus gets
 * {@code auth.max-failures} tries a window per address instead of thousands a second. At most
 * {@code auth.tracked-addresses} addresses are remembered (the least recently failing go first),
 * so memory is bounded whatever the number of addresses. Thread-safe.
 */
public final class AuthenticationFailures {
    private final int maxFailures;
    private final long windowNanos;
    private final Ticker ticker;
    private final GuardMetrics metrics;
    private final Cache<InetAddress, Failures> byAddress;

    /** The failures of one address: how many, and when the last one was. */
    private record Failures(int count, long lastNanos) {}

    public AuthenticationFailures(int maxFailures, Duration window, long trackedAddresses, InstantSource clock,
                                  GuardMetrics metrics) {
        this.maxFailures = maxFailures;
        this.windowNanos = window.toNanos();
        this.ticker = EpochNanos.ticker(clock);
        this.metrics = metrics;
        this.byAddress = Caffeine.newBuilder()
                .maximumSize(trackedAddresses)
                .expireAfterWrite(window)
                .ticker(ticker)
                .build();
    }

    /**
     * How long the address is still blocked; zero when it may try. An attempt refused for it is
     * counted in {@code optline.authentication.blocked}.
     */
    public Duration blocked(InetAddress address, Listener listener) {
        Duration left = blockedFor(address);
        if (!left.isZero()) {
            metrics.authenticationBlocked(listener);
        }
        return left;
    }

    /** True while the address is blocked; counts nothing (for a look ahead, such as before a body). */
    public boolean isBlocked(InetAddress address) {
        return !blockedFor(address).isZero();
    }

    private Duration blockedFor(InetAddress address) {
        if (address == null) {
            return Duration.ZERO;
        }
        Failures failures = byAddress.getIfPresent(address);
        if (failures == null || failures.count() < maxFailures) {
            return Duration.ZERO;
        }
        long left = windowNanos - (ticker.read() - failures.lastNanos());
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }

    /** A key was presented from the address and was not valid there. */
    public void failed(InetAddress address, Listener listener) {
        metrics.authenticationFailed(listener);
        if (address == null) {
            return;
        }
        long now = ticker.read();
        byAddress.asMap().merge(address, new Failures(1, now),
                (old, one) -> new Failures(Math.min(old.count(), maxFailures) + 1, now));
    }

    /** Addresses remembered now (for the bound's test). */
    long trackedAddresses() {
        byAddress.cleanUp();
        return byAddress.estimatedSize();
    }
}
