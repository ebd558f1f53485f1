package org.optline.loadtest;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts by a short cause such as {@code timeout} or {@code HTTP 400 INVALID_BODY}; safe to
 * add to from several threads. Causes come from a small vocabulary (status codes, error
 * codes), never from a message, so the map stays small and holds no recipient data.
 */
final class Causes {
    private final ConcurrentMap<String, LongAdder> counts = new ConcurrentHashMap<>();

    void add(String cause, long n) {
        if (n > 0) {
            counts.computeIfAbsent(cause, c -> new LongAdder()).add(n);
        }
    }

    /** The counts so far, sorted by cause. */
    SortedMap<String, Long> snapshot() {
        SortedMap<String, Long> copy = new TreeMap<>();
        counts.forEach((cause, count) -> copy.put(cause, count.sum()));
        return Collections.unmodifiableSortedMap(copy);
    }
}
