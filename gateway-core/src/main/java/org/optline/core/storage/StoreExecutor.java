package org.optline.core.storage;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.optline.core.concurrent.ThreadHop;

/**
 * The threads on which the services call a storage engine, so that a caller on an event loop
 * never waits for a disk. Its queue is bounded: when it is full a call fails at once with
 * {@link StoreBusyException} (answered "retry shortly"), instead of piling up.
 */
public final class StoreExecutor {
    private final Executor executor;

    public StoreExecutor(Executor executor) {
        this.executor = executor;
    }

    /** Runs {@code work} on a store thread; its future is this call's future. */
    public <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> work) {
        return ThreadHop.call(executor, work, refused -> new StoreBusyException());
    }

    /** The store threads are all busy and their queue is full: retry shortly. */
    public static final class StoreBusyException extends RuntimeException {
        public StoreBusyException() {
            super("the store is busy; retry shortly", null, false, false);
        }
    }
}
