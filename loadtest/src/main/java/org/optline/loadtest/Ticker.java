package org.optline.loadtest;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

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
            sleepUntil(deadlineNanos, () -> false);
        }

        @Override
        public void sleepUntil(long deadlineNanos, BooleanSupplier wakeWhen) throws InterruptedException {
            long remaining;
            while ((remaining = deadlineNanos - System.nanoTime()) > 0) {
                LockSupport.parkNanos(remaining);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                // parkNanos also returns when another thread unparks this one: a reason to look
                if (wakeWhen.getAsBoolean()) {
                    return;
                }
            }
        }
    };

    long nanoTime();

    /** Returns once {@link #nanoTime()} has reached {@code deadlineNanos}. */
    void sleepUntil(long deadlineNanos) throws InterruptedException;

    /**
     * As {@link #sleepUntil(long)}, but returns earlier once {@code wakeWhen} is true. The real
     * clock looks at it when the sleeping thread is unparked (and may look at other times); the
     * condition is for rare events, such as a busy lane freeing up.
     */
    void sleepUntil(long deadlineNanos, BooleanSupplier wakeWhen) throws InterruptedException;
}
