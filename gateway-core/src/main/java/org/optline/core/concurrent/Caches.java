package org.optline.core.concurrent;

import com.github.benmanes.caffeine.cache.Caffeine;

/** Where the caches on the admission path are built. */
public final class Caches {
    private Caches() {}

    /**
     * A Caffeine builder whose upkeep (draining its read and write buffers, evicting) runs on the
     * thread that uses the cache, a few entries at a time. By default Caffeine hands that upkeep to
     * the common fork-join pool: on the hot path every few writes woke a pool thread (an unpark
     * from the store writer, a context switch on a two-core machine), 8 % of the gateway's CPU
     * at 64 HTTP connections (docs/benchmarks.md, "What changed in this round"). None of these
     * caches has a removal listener, so nothing slow can run on the calling thread.
     */
    public static Caffeine<Object, Object> onCallingThread() {
        return Caffeine.newBuilder().executor(Runnable::run);
    }
}
