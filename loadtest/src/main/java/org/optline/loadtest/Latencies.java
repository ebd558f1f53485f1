package org.optline.loadtest;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies of a run in nanoseconds, in HdrHistogram recorders that lanes write to from their
 * event loops without locks: one for the live line (read and reset every second, warm-up
 * included) and one for the measured part of the run (read once at the end).
 */
final class Latencies {
    /** Three significant digits: 1.00 ms and 1.01 ms stay apart, at a few hundred kB per histogram. */
    static final int SIGNIFICANT_DIGITS = 3;

    private final Recorder live = new Recorder(SIGNIFICANT_DIGITS);
    private final Recorder measured = new Recorder(SIGNIFICANT_DIGITS);

    void record(long latencyNanos, boolean isMeasured) {
        // a clock that stepped back must not make a negative latency, which HdrHistogram refuses
        long value = Math.max(1, latencyNanos);
        live.recordValue(value);
        if (isMeasured) {
            measured.recordValue(value);
        }
    }

    /** What was recorded since the last call, warm-up included. */
    Histogram sinceLastInterval() {
        return live.getIntervalHistogram();
    }

    /** The measured latencies recorded since the last call; called once, at the end of a run. */
    Histogram measured() {
        return measured.getIntervalHistogram();
    }
}
