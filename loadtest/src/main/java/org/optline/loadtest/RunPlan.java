package org.optline.loadtest;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The settings of one run, checked once when it is made: where the gateway is, who the run
 * sends as, how many messages, how hard and for how long at most.
 *
 * @param platformKey the platform's key for the consent API, or {@code null} to send without
 *     opting anyone in first
 */
record RunPlan(
        Protocol protocol,
        String host,
        int tcpPort,
        int httpPort,
        String apiKey,
        String platformKey,
        String businessId,
        long messages,
        int batch,
        int connections,
        int inFlight,
        int recipients,
        Duration timeout) {

    /** A gateway on the same machine: the usual first run. */
    static final String DEFAULT_HOST = "127.0.0.1";
    /** The gateway's default binary listener. */
    static final int DEFAULT_TCP_PORT = 9090;
    /** The gateway's default HTTP listener. */
    static final int DEFAULT_HTTP_PORT = 8080;
    /** The business of the gateway's demo configuration. */
    static final String DEFAULT_BUSINESS = "demo-bank";
    /** Enough for a steady rate, few enough to finish in seconds on a laptop. */
    static final long DEFAULT_MESSAGES = 10_000;
    /** Bounds the run in count: a typing slip must not start a run of days. */
    static final long MAX_MESSAGES = 1_000_000_000L;
    /** TCP senders batch: a hundred messages per frame is a typical pipelined sender. */
    static final int DEFAULT_TCP_BATCH = 100;
    /** A transactional HTTP sender posts each alert as it happens. */
    static final int DEFAULT_HTTP_BATCH = 1;
    /** SPEC section 5: a submission carries up to 1 000 messages. */
    static final int MAX_BATCH = 1_000;
    /** A few connections, as a sender with a small pool would open. */
    static final int DEFAULT_CONNECTIONS = 4;
    /** More connections than this measures the client's machine, not the gateway. */
    static final int MAX_CONNECTIONS = 1_024;
    /** Enough pipelining to hide a loopback round trip; the server may ask for fewer. */
    static final int DEFAULT_IN_FLIGHT = 64;
    /** Bounds the unanswered work, and so the memory, of one connection. */
    static final int MAX_IN_FLIGHT = 10_000;
    /** The smallest messaging tier, so that a default run stays within any business's tier. */
    static final int DEFAULT_RECIPIENTS = 1_000;
    /** Longer than a day is a mistake, not a load test. */
    static final Duration MAX_TIMEOUT = Duration.ofHours(24);

    /** SPEC section 2: a business id is a slug. */
    private static final Pattern BUSINESS_ID = Pattern.compile("[a-z0-9-]{3,64}");

    /** Checks every setting; the message names the option to fix. */
    RunPlan {
        if (protocol == null) {
            throw new IllegalArgumentException("--protocol is required");
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("--host must not be empty");
        }
        checkPort("--tcp-port", tcpPort);
        checkPort("--http-port", httpPort);
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("--key must not be empty");
        }
        if (platformKey != null && platformKey.isBlank()) {
            throw new IllegalArgumentException("--platform-key must not be empty when given");
        }
        if (businessId == null || !BUSINESS_ID.matcher(businessId).matches()) {
            throw new IllegalArgumentException("--business must be a slug [a-z0-9-]{3,64}");
        }
        checkRange("--messages", messages, 1, MAX_MESSAGES);
        checkRange("--batch", batch, 1, MAX_BATCH);
        checkRange("--connections", connections, 1, MAX_CONNECTIONS);
        checkRange("--in-flight", inFlight, 1, MAX_IN_FLIGHT);
        checkRange("--recipients", recipients, 1, Recipients.CAPACITY);
        if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException(
                    "--timeout must be more than 0 and at most " + MAX_TIMEOUT.toHours() + "h");
        }
    }

    /** The batch size a sender of this protocol would use when none is asked for. */
    static int defaultBatch(Protocol protocol) {
        return protocol == Protocol.TCP ? DEFAULT_TCP_BATCH : DEFAULT_HTTP_BATCH;
    }

    /** True when the run first opts its recipients in through the consent API. */
    boolean optsIn() {
        return platformKey != null;
    }

    /** The port of the chosen protocol's listener. */
    int port() {
        return protocol == Protocol.TCP ? tcpPort : httpPort;
    }

    /** One line for the top of the output. */
    String describe() {
        String pipelining = protocol == Protocol.TCP
                ? String.format(Locale.ROOT, ", up to %d in flight each", inFlight) : "";
        return String.format(Locale.ROOT,
                "%s %s:%d as %s: %d messages to %d recipients, %d per request, %d connections%s, timeout %s",
                protocol.name().toLowerCase(Locale.ROOT), host, port(), businessId, messages, recipients, batch,
                connections, pipelining, DurationConverter.format(timeout));
    }

    /** Leaves the keys out: they are secrets and must not reach a terminal log. */
    @Override
    public String toString() {
        return "RunPlan[" + describe() + (optsIn() ? ", with opt-ins" : "") + "]";
    }

    private static void checkPort(String option, int port) {
        checkRange(option, port, 1, 65_535);
    }

    private static void checkRange(String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    String.format(Locale.ROOT, "%s must be between %d and %d, not %d", option, min, max, value));
        }
    }
}
