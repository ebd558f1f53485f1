package org.optline.server;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether the node takes new work, and how much work it has in flight. Readiness turns false
 * the moment a shutdown begins; the shutdown then waits for {@link #inFlight()} to reach zero.
 */
public final class Lifecycle {
    private volatile boolean ready;
    private final AtomicInteger inFlight = new AtomicInteger();

    public boolean isReady() {
        return ready;
    }

    public void markReady() {
        ready = true;
    }

    public void beginDrain() {
        ready = false;
    }

    /** Counts a request that the node has taken on; every call is paired with {@link #finished()}. */
    public void started() {
        inFlight.incrementAndGet();
    }

    public void finished() {
        inFlight.decrementAndGet();
    }

    public int inFlight() {
        return inFlight.get();
    }
}
