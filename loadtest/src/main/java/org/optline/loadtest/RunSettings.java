package org.optline.loadtest;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The settings of one open-model run, checked once when made.
 *
 * @param messagesPerSecond the arrival rate in messages; requests go out at this rate divided by {@code batch}
 * @param batch messages per request
 * @param connections connections to open
 * @param inFlight requests in flight per TCP connection (HTTP has one per connection)
 * @param warmUp sent and counted apart, before the measured part
 * @param duration the measured part
 * @param grace how long after the last request is due the run waits for answers
 * @param recipients the seeded recipients the messages cycle through
 */
record RunSettings(
        Target target,
        Protocol protocol,
        double messagesPerSecond,
        int batch,
        int connections,
        int inFlight,
        Duration warmUp,
        Duration duration,
        Duration grace,
        int recipients,
        MessageMix mix,
        List<Slo> slos) {

    /** Far above what one machine's client can make; a typing slip, not a load test. */
    static final double MAX_RATE = 20_000_000;
    /** SPEC section 5: a submission carries up to 1 000 messages. */
    static final int MAX_BATCH = 1_000;
    /** More connections than this measures the client's machine, not the gateway. */
    static final int MAX_CONNECTIONS = 4_096;
    /** Bounds the unanswered work, and so the memory, of one connection. */
    static final int MAX_IN_FLIGHT = 10_000;
    /** A load test longer than a day is a mistake. */
    static final Duration MAX_DURATION = Duration.ofHours(24);
    /** Bounds a run in count as well as in time: the schedule's numbers must stay exact. */
    static final long MAX_MESSAGES = 10_000_000_000L;

    RunSettings {
        if (target.apiKey() == null) {
            throw new IllegalArgumentException("Missing the business key: give --key or set " + LoadTest.KEY_VARIABLE);
        }
        if (!(messagesPerSecond >= 1 && messagesPerSecond <= MAX_RATE)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--rate must be between 1 and %.0f messages/s, not %s", MAX_RATE, messagesPerSecond));
        }
        Settings.checkRange("--batch", batch, 1, MAX_BATCH);
        Settings.checkRange("--connections", connections, 1, MAX_CONNECTIONS);
        Settings.checkRange("--in-flight", inFlight, 1, MAX_IN_FLIGHT);
        Settings.checkRange("--recipients", recipients, 1, Recipients.CAPACITY);
        checkDuration("--warm-up", warmUp, true);
        checkDuration("--duration", duration, false);
        // the last request is due at the end: with no grace at all it could never be answered
        checkDuration("--grace", grace, false);
        slos = List.copyOf(slos);
        if (messagesPerSecond * (warmUp.toNanos() + duration.toNanos()) / 1e9 > MAX_MESSAGES) {
            throw new IllegalArgumentException("--rate times --duration is more than " + MAX_MESSAGES + " messages");
        }
    }

    double requestsPerSecond() {
        return messagesPerSecond / batch;
    }

    /** The requests of the whole run, warm-up included: at least one. */
    long requests() {
        double seconds = (warmUp.toNanos() + duration.toNanos()) / 1e9;
        return Math.max(1, (long) Math.ceil(requestsPerSecond() * seconds));
    }

    /** The same run at another rate: what find-max steps through. */
    RunSettings atRate(double rate) {
        return new RunSettings(target, protocol, rate, batch, connections, inFlight, warmUp, duration, grace,
                recipients, mix, slos);
    }

    /** One line for the top of the output. */
    String describe() {
        String pipelining = protocol == Protocol.TCP ? String.format(Locale.ROOT, " x %d in flight", inFlight) : "";
        return String.format(Locale.ROOT,
                "%s %s:%d as %s: %.0f messages/s, %d per request, %d connections%s, warm-up %s, %s measured, "
                        + "%d recipients, mix %s",
                protocol.name().toLowerCase(Locale.ROOT), target.host(), target.port(protocol), target.businessId(),
                messagesPerSecond, batch, connections, pipelining, DurationConverter.format(warmUp),
                DurationConverter.format(duration), recipients, mix.describe());
    }

    private static void checkDuration(String option, Duration value, boolean zeroAllowed) {
        if (value == null || value.isNegative() || !zeroAllowed && value.isZero() || value.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException(option + " must be " + (zeroAllowed ? "0" : "more than 0")
                    + " to " + MAX_DURATION.toHours() + "h");
        }
    }
}
