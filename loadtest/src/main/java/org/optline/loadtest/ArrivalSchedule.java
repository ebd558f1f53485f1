package org.optline.loadtest;

/**
 * When each request of an open-model run is meant to be sent: request {@code i} at
 * {@code start + i / rate}. Each time is computed from the start, never by adding intervals,
 * so a rate whose interval is not a whole number of nanoseconds does not drift.
 *
 * <p>These intended times are what latency is measured from. A request that could not go out
 * on time, because every connection was busy or the server had stalled, still counts from the
 * moment it was due: that is what a person waiting for the message sees, and it keeps the
 * harness free of coordinated omission.
 *
 * @param startNanos the intended time of request 0, on the run's {@link Ticker}
 * @param requestsPerSecond the arrival rate
 * @param requests how many requests the run sends
 */
record ArrivalSchedule(long startNanos, double requestsPerSecond, long requests) {
    private static final double NANOS_PER_SECOND = 1e9;

    ArrivalSchedule {
        if (!(requestsPerSecond > 0) || Double.isInfinite(requestsPerSecond)) {
            throw new IllegalArgumentException("the rate must be positive: " + requestsPerSecond);
        }
        if (requests < 0) {
            throw new IllegalArgumentException("requests must not be negative: " + requests);
        }
    }

    /** A schedule of {@code requests} requests at {@code requestsPerSecond}, the first due at {@code startNanos}. */
    static ArrivalSchedule of(long startNanos, double requestsPerSecond, long requests) {
        return new ArrivalSchedule(startNanos, requestsPerSecond, requests);
    }

    /** The moment request {@code request} is due. */
    long intendedNanos(long request) {
        return startNanos + (long) Math.floor(request * NANOS_PER_SECOND / requestsPerSecond);
    }

    /** How many requests are due at {@code nowNanos}: those whose intended time is not after it. */
    long dueAt(long nowNanos) {
        if (nowNanos < startNanos) {
            return 0;
        }
        long due = (long) Math.floor((nowNanos - startNanos) * requestsPerSecond / NANOS_PER_SECOND) + 1;
        // the floating-point estimate may be one off either way; settle it on the exact times
        while (due > 0 && intendedNanos(due - 1) > nowNanos) {
            due--;
        }
        while (due < requests && intendedNanos(due) <= nowNanos) {
            due++;
        }
        return Math.min(due, requests);
    }

    /** The moment the last request is due; the start when there are none. */
    long lastNanos() {
        return requests == 0 ? startNanos : intendedNanos(requests - 1);
    }
}
