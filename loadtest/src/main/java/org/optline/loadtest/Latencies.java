package org.optline.loadtest;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * Latencies of a run in nanoseconds, in HdrHistogram recorders that lanes write to from their
 * event loops without locks: one for the live line (read and reset every second, warm-up
 * included) and one for the measured part of the run (read once at the end).
 *
 * <p>Each thread that records has recorders of its own, and a reading adds them up. Shared
 * recorders would have every answer of every event loop write the same counters and, while
 * latency grows, the same maximum, which costs more than the recording itself at the rates of a
 * run; this way no two threads write the same memory.
 */
final class Latencies {
    /** Three significant digits: 1.00 ms and 1.01 ms stay apart, at a few hundred kB per histogram. */
    static final int SIGNIFICANT_DIGITS = 3;

    /** One thread's recorders. */
    private record Recorders(SingleWriterRecorder live, SingleWriterRecorder measured) {
        Recorders() {
            this(new SingleWriterRecorder(SIGNIFICANT_DIGITS), new SingleWriterRecorder(SIGNIFICANT_DIGITS));
        }
    }

    private final List<Recorders> all = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Recorders> mine = ThreadLocal.withInitial(() -> {
        Recorders recorders = new Recorders();
        all.add(recorders);
        return recorders;
    });

    void record(long latencyNanos, boolean isMeasured) {
        // a clock that stepped back must not make a negative latency, which HdrHistogram refuses
        long value = Math.max(1, latencyNanos);
        Recorders recorders = mine.get();
        recorders.live().recordValue(value);
        if (isMeasured) {
            recorders.measured().recordValue(value);
        }
    }

    /** What was recorded since the last call, warm-up included. */
    Histogram sinceLastInterval() {
        Histogram sum = new Histogram(SIGNIFICANT_DIGITS);
        for (Recorders recorders : all) {
            sum.add(recorders.live().getIntervalHistogram());
        }
        return sum;
    }

    /** The measured latencies recorded since the last call; called once, at the end of a run. */
    Histogram measured() {
        Histogram sum = new Histogram(SIGNIFICANT_DIGITS);
        for (Recorders recorders : all) {
            sum.add(recorders.measured().getIntervalHistogram());
        }
        return sum;
    }
}
