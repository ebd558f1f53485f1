package org.optline.server.guard;

import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports what should never happen (a bug, a store that failed in a way nobody expected) as one
 * log line each, and at most {@link #BURST} lines at once and {@link #PER_MINUTE} a minute after
 * that: a client that can trigger such an error on every request must not be able to flood the
 * log with stack traces. A line names the error, its masked message and where it was thrown;
 * the reports that were held back are counted in the next line that is written. Thread-safe.
 */
public final class UnexpectedErrors {
    private static final Logger log = LoggerFactory.getLogger(UnexpectedErrors.class);
    /** Enough to see the shape of a sudden problem. */
    static final int BURST = 10;
    /** Enough to see that it goes on, not enough to fill a disk. */
    static final int PER_MINUTE = 10;
    private static final long NANOS_PER_LINE = 60_000_000_000L / PER_MINUTE;
    private static final int MAX_MESSAGE = 160;
    /** A run of three digits or more could be part of a phone number. */
    private static final Pattern DIGIT_RUN = Pattern.compile("\\d{3,}");
    /** An Optline key, should one appear in a message. */
    private static final Pattern KEY = Pattern.compile("ol[kp]_[A-Za-z0-9_-]+");

    private final Consumer<String> sink;
    private final LongSupplier nanoTime;
    private double lines = BURST;
    private long refilledAt;
    private long suppressed;

    public UnexpectedErrors() {
        this(log::error, System::nanoTime);
    }

    /** Reports to {@code sink} instead of the log, for tests that must see that nothing was reported. */
    public UnexpectedErrors(Consumer<String> sink) {
        this(sink, System::nanoTime);
    }

    UnexpectedErrors(Consumer<String> sink, LongSupplier nanoTime) {
        this.sink = sink;
        this.nanoTime = nanoTime;
        this.refilledAt = nanoTime.getAsLong();
    }

    /**
     * Reports {@code error}, which happened while doing {@code what} (a fixed phrase such as
     * "answering an HTTP request"), unless the rate is exceeded.
     */
    public void report(String what, Throwable error) {
        String line;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            lines = Math.min(BURST, lines + (double) (now - refilledAt) / NANOS_PER_LINE);
            refilledAt = now;
            if (lines < 1) {
                suppressed++;
                return;
            }
            lines--;
            line = "unexpected failure " + what + ": " + describe(error)
                    + (suppressed > 0 ? " (" + suppressed + " more unexpected failures were not logged)" : "");
            suppressed = 0;
        }
        sink.accept(line);
    }

    /** The error in one line: its type, masked message and where it came from; its causes' types. */
    static String describe(Throwable error) {
        StringBuilder line = new StringBuilder(error.getClass().getName());
        String message = error.getMessage();
        if (message != null && !message.isBlank()) {
            line.append(": ").append(mask(message));
        }
        StackTraceElement[] trace = error.getStackTrace();
        if (trace.length > 0) {
            line.append(" at ").append(trace[0]);
            for (StackTraceElement frame : trace) {
                if (frame != trace[0] && frame.getClassName().startsWith("org.optline.")) {
                    line.append(" via ").append(frame);
                    break;
                }
            }
        }
        int depth = 0;
        for (Throwable cause = error.getCause(); cause != null && cause != error && depth < 3;
                cause = cause.getCause(), depth++) {
            line.append("; caused by ").append(cause.getClass().getName());
            if (cause.getStackTrace().length > 0) {
                line.append(" at ").append(cause.getStackTrace()[0]);
            }
        }
        return line.toString();
    }

    /** A message as it may be logged: on one line, short, without digit runs or keys. */
    static String mask(String message) {
        String masked = KEY.matcher(message).replaceAll("ol•_•••");
        masked = DIGIT_RUN.matcher(masked).replaceAll("•••").replaceAll("\\s+", " ").trim();
        return masked.length() > MAX_MESSAGE ? masked.substring(0, MAX_MESSAGE) + "…" : masked;
    }
}
