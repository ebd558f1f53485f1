package org.optline.loadtest;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * A bound on the measured latency that a run must meet, as SREs write it: {@code p99<5ms},
 * {@code p99.9<=20ms}, {@code max<1s}, {@code p50<500us}.
 *
 * @param percentile 0 to 100; 100 is the maximum
 * @param boundNanos the latency the percentile must stay under
 * @param inclusive true for {@code <=}: the percentile may equal the bound
 */
record Slo(double percentile, long boundNanos, boolean inclusive) {
    private static final Pattern FORM = Pattern.compile(
            "(?:p(\\d{1,2}(?:\\.\\d{1,4})?|100)|(max))\\s*(<=?)\\s*(\\d{1,9}(?:\\.\\d{1,6})?)\\s*(us|µs|ms|s)");

    Slo {
        if (!(percentile > 0 && percentile <= 100)) {
            throw new IllegalArgumentException("a percentile is above 0 and at most 100, not " + percentile);
        }
        if (boundNanos <= 0) {
            throw new IllegalArgumentException("a latency bound must be positive");
        }
    }

    /** Parses {@code p99<5ms} and the like; the message of the exception says what is wrong. */
    static Slo parse(String text) {
        Matcher m = FORM.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("--slo takes a bound such as p99<5ms, p99.9<=20ms or max<1s, not '"
                    + text + "'");
        }
        double percentile = m.group(2) != null ? 100 : Double.parseDouble(m.group(1));
        double amount = Double.parseDouble(m.group(4));
        double nanosPerUnit = switch (m.group(5)) {
            case "us", "µs" -> 1e3;
            case "ms" -> 1e6;
            default -> 1e9;
        };
        return new Slo(percentile, Math.round(amount * nanosPerUnit), m.group(3).equals("<="));
    }

    /** The latency at this percentile of {@code latencies}, in nanoseconds. */
    long valueIn(Histogram latencies) {
        return percentile == 100 ? latencies.getMaxValue() : latencies.getValueAtPercentile(percentile);
    }

    /** True when {@code latencies} meet the bound; an empty histogram meets none, since nothing was measured. */
    boolean heldBy(Histogram latencies) {
        if (latencies.getTotalCount() == 0) {
            return false;
        }
        long value = valueIn(latencies);
        return inclusive ? value <= boundNanos : value < boundNanos;
    }

    /** As it was written, normalised: {@code p99<5ms}. */
    String describe() {
        String name = percentile == 100 ? "max" : "p" + Latency.trim(percentile);
        return name + (inclusive ? "<=" : "<") + Latency.format(boundNanos);
    }
}
