package org.optline.core.storage;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether a store takes writes and serves its data whole: the one place an engine reports a
 * {@link StorageFault}, and readiness, metrics and logs read it. Each fault is told to the
 * watchers once when it begins and once when it ends, however many writes fail meanwhile. A
 * transient fault ends at the next write that succeeds; {@link StorageFault#CORRUPT} never ends
 * while the store is open, and outranks the others.
 */
public final class StorageHealth {
    private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Map<StorageFault, AtomicLong> began = new EnumMap<>(StorageFault.class);
    private volatile StorageFault fault;
    private String detail = "";

    /** Hears a fault begin and end. Called on the thread that found it (often the store's writer): be quick. */
    public interface Listener {
        /** @param detail what is affected and why, never a phone number */
        void faultBegan(StorageFault fault, String detail);

        void faultEnded(StorageFault fault, String detail);
    }

    public StorageHealth() {
        for (StorageFault each : StorageFault.values()) {
            began.put(each, new AtomicLong());
        }
    }

    /** The fault the store is in now; empty while it is healthy. */
    public Optional<StorageFault> fault() {
        return Optional.ofNullable(fault);
    }

    /** What the current fault affects and why; empty while healthy. */
    public synchronized String detail() {
        return fault == null ? "" : detail;
    }

    /** How many times {@code fault} has begun since the store was opened. */
    public long timesBegan(StorageFault fault) {
        return began.get(fault).get();
    }

    /**
     * Tells the listener the fault the store is in now, if any (a store may be found corrupt
     * while it opens, before anyone listens), then every change.
     */
    public synchronized void watch(Listener listener) {
        listeners.add(listener);
        if (fault != null) {
            listener.faultBegan(fault, detail);
        }
    }

    /**
     * The store is in {@code fault}. Returns true when this began it, false when the store was
     * already in it (or in {@link StorageFault#CORRUPT}, which nothing else replaces).
     */
    public synchronized boolean report(StorageFault reported, String why) {
        StorageFault current = fault;
        if (current == reported || current == StorageFault.CORRUPT
                || (current != null && reported.isTransient())) {
            return false;
        }
        if (current != null) {
            for (Listener listener : listeners) {
                listener.faultEnded(current, "the store is now found to be " + reported.name().toLowerCase());
            }
        }
        fault = reported;
        detail = why;
        began.get(reported).incrementAndGet();
        for (Listener listener : listeners) {
            listener.faultBegan(reported, why);
        }
        return true;
    }

    /** A write succeeded: a transient fault is over. Returns true when this ended one. */
    public boolean writable() {
        if (fault == null || !fault.isTransient()) {
            return false;
        }
        synchronized (this) {
            StorageFault current = fault;
            if (current == null || !current.isTransient()) {
                return false;
            }
            // Told before it is cleared: whoever sees the store healthy knows the end was told.
            for (Listener listener : listeners) {
                listener.faultEnded(current, "writes to the store succeed again");
            }
            fault = null;
            detail = "";
            return true;
        }
    }
}
