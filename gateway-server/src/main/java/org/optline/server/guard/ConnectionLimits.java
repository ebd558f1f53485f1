package org.optline.server.guard;

import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many connections one listener holds, in all and per client address, against its caps. A
 * connection over either cap is refused as it is accepted (the listener answers it with a clear
 * refusal and closes it), so that the process never reaches its file-descriptor limit, at which
 * both listeners would stop accepting honest clients too. The per-address counts live only as
 * long as their connections, so their memory is bounded by the listener's cap. Thread-safe.
 */
public final class ConnectionLimits {
    private final Listener listener;
    private final int max;
    private final int maxPerAddress;
    private final GuardMetrics metrics;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();

    public ConnectionLimits(Listener listener, int max, int maxPerAddress, GuardMetrics metrics) {
        if (max < 1 || maxPerAddress < 1) {
            throw new IllegalArgumentException("connection caps must be positive");
        }
        this.listener = listener;
        this.max = max;
        this.maxPerAddress = maxPerAddress;
        this.metrics = metrics;
    }

    /**
     * Takes a place for a newly accepted connection, given back when it closes; or refuses it,
     * counted in {@code optline.connections.refused}.
     */
    public Optional<GuardMetrics.Refusal> admit(Channel channel) {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            metrics.refused(listener, GuardMetrics.Refusal.LISTENER_LIMIT);
            return Optional.of(GuardMetrics.Refusal.LISTENER_LIMIT);
        }
        InetAddress address = addressOf(channel.remoteAddress());
        if (address != null) {
            boolean[] taken = {false};
            perAddress.compute(address, (a, count) -> {
                int now = count == null ? 0 : count;
                if (now >= maxPerAddress) {
                    return count;
                }
                taken[0] = true;
                return now + 1;
            });
            if (!taken[0]) {
                open.decrementAndGet();
                metrics.refused(listener, GuardMetrics.Refusal.ADDRESS_LIMIT);
                return Optional.of(GuardMetrics.Refusal.ADDRESS_LIMIT);
            }
        }
        channel.closeFuture().addListener(closed -> release(address));
        return Optional.empty();
    }

    private void release(InetAddress address) {
        open.decrementAndGet();
        if (address != null) {
            perAddress.computeIfPresent(address, (a, count) -> count <= 1 ? null : count - 1);
        }
    }

    /** Connections this listener holds now. */
    public int open() {
        return open.get();
    }

    /** Addresses with a connection open now: at most {@link #open()}. */
    public int addresses() {
        return perAddress.size();
    }

    public int max() {
        return max;
    }

    public int maxPerAddress() {
        return maxPerAddress;
    }

    /** What a refused client is told. */
    public String explain(GuardMetrics.Refusal refusal) {
        return switch (refusal) {
            case LISTENER_LIMIT -> "the gateway holds its limit of " + max + " connections on this listener;"
                    + " retry later, or on another node";
            case ADDRESS_LIMIT -> "your address holds its limit of " + maxPerAddress + " connections on this"
                    + " listener; use fewer connections (pipeline on each), or retry later";
        };
    }

    private static InetAddress addressOf(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
