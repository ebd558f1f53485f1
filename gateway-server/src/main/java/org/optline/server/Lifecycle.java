package org.optline.server;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.optline.core.storage.StorageFault;
import org.optline.core.storage.StorageHealth;

/**
 * Whether the node takes new work, whether a load balancer should send it any, and how much
 * work it has in flight. {@link #isReady()} turns false the moment a shutdown begins; the
 * shutdown then waits for {@link #inFlight()} to reach zero. {@link #notReadyBecause()} also
 * says not ready while the store has a fault (a full disk, damage): the node still answers every
 * request then, refusing the writes it cannot take, but a load balancer should send it nothing.
 */
public final class Lifecycle {
    private final StorageHealth storage;
    private volatile boolean ready;
    private volatile boolean draining;
    private final AtomicInteger inFlight = new AtomicInteger();

    public Lifecycle() {
        this(new StorageHealth());
    }

    /** A lifecycle whose readiness also follows the store's health. */
    public Lifecycle(StorageHealth storage) {
        this.storage = storage;
    }

    /** Whether the node takes new work: started and not shutting down. */
    public boolean isReady() {
        return ready;
    }

    public void markReady() {
        ready = true;
    }

    public void beginDrain() {
        draining = true;
        ready = false;
    }

    /**
     * Why a load balancer should not send this node work, or empty when it should: {@code
     * STARTING}, {@code SHUTTING_DOWN}, {@code STORAGE_UNAVAILABLE} (the disk is full or cannot
     * be written) or {@code STORE_CORRUPT}.
     */
    public Optional<String> notReadyBecause() {
        if (draining) {
            return Optional.of("SHUTTING_DOWN");
        }
        if (!ready) {
            return Optional.of("STARTING");
        }
        return storage.fault().map(fault -> fault == StorageFault.CORRUPT ? "STORE_CORRUPT" : "STORAGE_UNAVAILABLE");
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
