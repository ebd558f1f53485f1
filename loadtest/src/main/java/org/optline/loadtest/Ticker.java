package org.optline.loadtest;

import java.util.concurrent.locks.LockSupport;

/**
 * The harness's sense of time: a monotonic nanosecond clock and a way to wait for a moment
 * on it. The real one reads {@link System#nanoTime()}; tests drive a fake one, so the rate
 * controller and the latency accounting can be checked without waiting.
 */
interface Ticker {

    /** The real clock. */
    Ticker SYSTEM = new Ticker() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleepUntil(long deadlineNanos) throws InterruptedException {
            long remaining;
            while ((remaining = deadlineNanos - System.nanoTime()) > 0) {
                LockSupport.parkNanos(remaining);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        }
    };

    long nanoTime();

    /** Returns once {@link #nanoTime()} has reached {@code deadlineNanos}. */
    void sleepUntil(long deadlineNanos) throws InterruptedException;
}
