package org.optline.loadtest;

import java.util.Locale;

/** How latencies read in the harness's output: milliseconds with enough digits to compare. */
final class Latency {
    private Latency() {
    }

    /** {@code nanos} as milliseconds: {@code 0.412ms}, {@code 12.3ms}, {@code 1520ms}. */
    static String format(long nanos) {
        double millis = nanos / 1e6;
        if (millis < 10) {
            return String.format(Locale.ROOT, "%.3fms", millis);
        }
        if (millis < 1000) {
            return String.format(Locale.ROOT, "%.1fms", millis);
        }
        return String.format(Locale.ROOT, "%.0fms", millis);
    }

    /** Milliseconds as a number for JSON, to the microsecond. */
    static double millis(long nanos) {
        return Math.round(nanos / 1e3) / 1e3;
    }

    /** A number without a trailing {@code .0}: 99 and 99.9. */
    static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
