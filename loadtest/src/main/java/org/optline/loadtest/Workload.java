package org.optline.loadtest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.optline.proto.v1.Message;

/**
 * The messages of a run, handed out in batches to the connections that send them. Safe to
 * claim from several event loops; never hands out more than the run's count, nor anything
 * once stopped.
 */
final class Workload {
    private final long total;
    private final BalanceAlerts alerts;
    private final AtomicLong next = new AtomicLong();
    private volatile boolean stopped;

    Workload(long total, BalanceAlerts alerts) {
        if (total < 0) {
            throw new IllegalArgumentException("total must not be negative: " + total);
        }
        this.total = total;
        this.alerts = alerts;
    }

    long total() {
        return total;
    }

    /** Up to {@code max} messages not handed out before; empty when there are none left. */
    List<Message> claim(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be positive: " + max);
        }
        long first;
        int size;
        do {
            first = next.get();
            if (stopped || first >= total) {
                return List.of();
            }
            size = (int) Math.min(max, total - first);
        } while (!next.compareAndSet(first, first + size));
        List<Message> batch = new ArrayList<>(size);
        for (long sequence = first; sequence < first + size; sequence++) {
            batch.add(alerts.message(sequence));
        }
        return batch;
    }

    /** How many messages were handed out. */
    long claimed() {
        return Math.min(next.get(), total);
    }

    /** Hands out nothing more; batches already claimed are still sent or counted. */
    void stop() {
        stopped = true;
    }
}
