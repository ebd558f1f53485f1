package org.optline.server.guard;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory that connections not yet authenticated hold, all of them together, against one
 * bound: the buffers of their incomplete frames. A connection that would take the total past the
 * bound is refused, so that no number of anonymous connections can starve the authenticated
 * ones of memory. Shared by every connection of a listener; thread-safe.
 */
public final class UnauthenticatedBytes {
    private final long capacity;
    private final AtomicLong held = new AtomicLong();

    public UnauthenticatedBytes(long capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("the budget must be positive");
        }
        this.capacity = capacity;
    }

    /** Takes {@code bytes} more, or nothing and false when that would pass the bound. */
    public boolean tryReserve(long bytes) {
        while (true) {
            long now = held.get();
            if (now + bytes > capacity) {
                return false;
            }
            if (held.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    public void release(long bytes) {
        held.addAndGet(-bytes);
    }

    /** Bytes held now. */
    public long held() {
        return held.get();
    }

    public long capacity() {
        return capacity;
    }
}
