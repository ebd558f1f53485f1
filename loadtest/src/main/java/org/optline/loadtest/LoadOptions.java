package org.optline.loadtest;

import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/** How a run loads the gateway, apart from its rate: the options {@code run} and {@code find-max} share. */
final class LoadOptions {
    @Option(names = "--protocol", paramLabel = "tcp|http", description = "How to send: tcp or http (default: tcp).")
    Protocol protocol = Protocol.TCP;

    @Option(names = "--batch", paramLabel = "N",
            description = "Messages per request, at most " + RunSettings.MAX_BATCH
                    + " (default: 100 for tcp, 1 for http).")
    Integer batch;

    @Option(names = "--connections", paramLabel = "N", description = "Connections to open (default: ${DEFAULT-VALUE}).")
    int connections = 16;

    @Option(names = "--in-flight", paramLabel = "N",
            description = "Requests in flight per TCP connection, lowered to the gateway's limit "
                    + "(default: ${DEFAULT-VALUE}).")
    int inFlight = 128;

    @Option(names = "--recipients", paramLabel = "N",
            description = "Seeded recipients the messages cycle through; seed at least as many "
                    + "(default: ${DEFAULT-VALUE}).")
    int recipients = SeedCommand.DEFAULT_RECIPIENTS;

    @Option(names = "--mix", paramLabel = "KIND=WEIGHT,...",
            description = "Kinds of message and their weights: balance, flight, otp, marketing "
                    + "(default: " + MessageMix.DEFAULT_KINDS + ").")
    String kinds = MessageMix.DEFAULT_KINDS;

    @Option(names = "--non-consented", paramLabel = "PERCENT",
            description = "Share of messages to recipients who never opted in (default: ${DEFAULT-VALUE}).")
    double nonConsented = MessageMix.DEFAULT_NON_CONSENTED;

    @Option(names = "--invalid", paramLabel = "PERCENT",
            description = "Share of messages to invalid numbers (default: ${DEFAULT-VALUE}).")
    double invalid = MessageMix.DEFAULT_INVALID;

    @Option(names = "--duplicates", paramLabel = "PERCENT",
            description = "Share of messages that repeat an earlier client_message_id (default: ${DEFAULT-VALUE}).")
    double duplicates = MessageMix.DEFAULT_DUPLICATES;

    @Option(names = "--grace", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long to wait for answers after the last request is due (default: 10s).")
    Duration grace = Duration.ofSeconds(10);

    /** The settings of a run at {@code rate} messages/s; a bad value throws with the option's name. */
    RunSettings settings(Target target, double rate, Duration warmUp, Duration duration, List<Slo> slos) {
        MessageMix mix = new MessageMix(MessageMix.parseWeights(kinds), nonConsented, invalid, duplicates);
        int perRequest = batch != null ? batch : protocol == Protocol.TCP ? 100 : 1;
        return new RunSettings(target, protocol, rate, perRequest, connections, inFlight, warmUp, duration, grace,
                recipients, mix, slos);
    }
}
