package org.optline.loadtest;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.optline.proto.v1.Reason;

/**
 * What the measured part of a run achieved: the answers by outcome, what went unanswered or
 * was never sent, the throughput, the latency distribution from the intended send times, and
 * whether each SLO held.
 *
 * @param plannedMessages the messages the measured part meant to send
 * @param notSentMessages measured messages never sent: the client's backlog when the run ended
 * @param spanNanos from the start of the measured part to its last answer (at least its planned length)
 * @param settled every request was answered or given up on before the grace period ended
 * @param reading the consumer side's result, or null when the run had none
 */
record RunResult(
        RunSettings settings,
        String runId,
        Tally.Counts counts,
        Tally.Counts problems,
        Histogram latencies,
        long plannedMessages,
        long notSentMessages,
        long spanNanos,
        boolean settled,
        InboxReader.Reading reading) {

    /** Percentiles in the summary: the ones SREs quote. */
    static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99};
    /** A rate holds when the answers keep up with it to within this share (the rest is timing noise). */
    static final double SUSTAINED_SHARE = 0.95;

    static RunResult of(RunSettings settings, String runId, OpenLoop loop, Histogram latencies, Tally problems,
            boolean settled, InboxReader.Reading reading) {
        long firstMeasured = loop.firstMeasuredRequest();
        long plannedRequests = loop.schedule().requests() - firstMeasured;
        long measureFrom = loop.measureFromNanos();
        long plannedEnd = measureFrom + settings.duration().toNanos();
        long span = Math.max(loop.lastAnswerNanos(), plannedEnd) - measureFrom;
        Tally.Counts measured = loop.measuredTally().snapshot();
        // a malformed answer is counted where it arrived; the verdict must see it
        Tally.Counts allProblems = problems.snapshot().withProblemsOf(measured)
                .withProblemsOf(loop.warmUpTally().snapshot());
        return new RunResult(settings, runId, measured, allProblems, latencies,
                plannedRequests * settings.batch(), loop.measuredNotSent() * settings.batch(), span, settled, reading);
    }

    /** Answered messages of the measured part per second of its span. */
    double messagesPerSecond() {
        return spanNanos <= 0 ? 0 : counts.answered() * 1e9 / spanNanos;
    }

    double requestsPerSecond() {
        return spanNanos <= 0 ? 0 : counts.requests() * 1e9 / spanNanos;
    }

    long percentile(double percentile) {
        return valueAt(latencies, percentile);
    }

    private static long valueAt(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile);
    }

    /** Every measured message answered, nothing left unsent, no connection trouble. */
    boolean complete() {
        return settled && counts.answered() == plannedMessages && counts.unansweredTotal() == 0
                && notSentMessages == 0 && problems.problems().isEmpty();
    }

    /**
     * The gateway kept up with the rate: everything was answered, none of it refused for load
     * ({@code OVERLOADED}, {@code RATE_LIMITED}), at close to the rate asked for.
     */
    boolean sustained() {
        return complete() && counts.count(Reason.OVERLOADED) == 0 && counts.count(Reason.RATE_LIMITED) == 0
                && messagesPerSecond() >= SUSTAINED_SHARE * settings.messagesPerSecond();
    }

    /** The SLOs that did not hold. */
    List<Slo> failedSlos() {
        return settings.slos().stream().filter(slo -> !slo.heldBy(latencies)).toList();
    }

    /**
     * The run is a pass: the gateway kept up with the rate (everything answered, nothing shed as
     * OVERLOADED or RATE_LIMITED), and every SLO held.
     */
    boolean passed() {
        return sustained() && failedSlos().isEmpty();
    }

    /** The summary as lines of text, ending with a newline. */
    String format() {
        StringBuilder out = new StringBuilder();
        long answered = counts.answered();
        out.append(String.format(Locale.ROOT, "measured: %,d of %,d messages answered in %,d requests; "
                + "%,d unanswered, %,d not sent%n", answered, plannedMessages, counts.requests(),
                counts.unansweredTotal(), notSentMessages));
        for (Map.Entry<Reason, Long> outcome : counts.outcomes().entrySet()) {
            out.append(String.format(Locale.ROOT, "  %-20s %,14d %7.2f%%%n",
                    outcome.getKey().name(), outcome.getValue(), 100.0 * outcome.getValue() / answered));
        }
        if (counts.duplicates() > 0) {
            out.append(String.format(Locale.ROOT, "  %-20s %,14d (answers marked duplicate)%n", "duplicate",
                    counts.duplicates()));
        }
        appendSection(out, "unanswered", counts.unanswered());
        appendSection(out, "problems", problems.problems());
        out.append(String.format(Locale.ROOT, "throughput: %,.0f messages/s, %,.0f requests/s (asked for %,.0f "
                + "messages/s) over %.2f s%n", messagesPerSecond(), requestsPerSecond(),
                settings.messagesPerSecond(), spanNanos / 1e9));
        out.append("latency from intended send time:");
        for (double p : PERCENTILES) {
            out.append(String.format(Locale.ROOT, " p%s %s", Latency.trim(p), Latency.format(percentile(p))));
        }
        out.append(String.format(Locale.ROOT, " max %s%n", Latency.format(latencies.getMaxValue())));
        if (reading != null) {
            Histogram read = reading.latencies();
            out.append(String.format(Locale.ROOT, "submit-to-read, warm-up included (inboxes of 1 in %d recipients): %,d messages read, "
                    + "%,d unread at the end%s; p50 %s p99 %s max %s%n", reading.every(), reading.read(),
                    reading.unread(), reading.untracked() > 0 ? String.format(Locale.ROOT, ", %,d not tracked",
                            reading.untracked()) : "",
                    Latency.format(valueAt(read, 50)), Latency.format(valueAt(read, 99)),
                    Latency.format(read.getMaxValue())));
        }
        for (Slo slo : settings.slos()) {
            out.append(String.format(Locale.ROOT, "SLO %s: %s (%s)%n", slo.describe(),
                    slo.heldBy(latencies) ? "held" : "FAILED", Latency.format(slo.valueIn(latencies))));
        }
        if (complete() && !sustained()) {
            out.append(String.format(Locale.ROOT, "the gateway did not keep up: %,.0f of %,.0f messages/s, %,d "
                    + "OVERLOADED, %,d RATE_LIMITED%n", messagesPerSecond(), settings.messagesPerSecond(),
                    counts.count(Reason.OVERLOADED), counts.count(Reason.RATE_LIMITED)));
        }
        out.append(passed() ? "run ok" : "run FAILED").append(System.lineSeparator());
        return out.toString();
    }

    /** The summary as JSON, for dashboards and scripts. */
    String toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("run_id", runId);
        json.put("protocol", settings.protocol().name().toLowerCase(Locale.ROOT));
        json.put("target", settings.target().host() + ":" + settings.target().port(settings.protocol()));
        json.put("business_id", settings.target().businessId());
        json.put("rate_messages_per_second", settings.messagesPerSecond());
        json.put("batch", settings.batch());
        json.put("connections", settings.connections());
        if (settings.protocol() == Protocol.TCP) {
            json.put("in_flight", settings.inFlight());
        }
        json.put("warm_up_seconds", settings.warmUp().toMillis() / 1e3);
        json.put("duration_seconds", settings.duration().toMillis() / 1e3);
        json.put("recipients", settings.recipients());
        json.put("mix", settings.mix().describe());
        json.put("planned_messages", plannedMessages);
        json.put("answered_messages", counts.answered());
        json.put("answered_requests", counts.requests());
        json.put("not_sent_messages", notSentMessages);
        Map<String, Long> outcomes = new LinkedHashMap<>();
        counts.outcomes().forEach((reason, n) -> outcomes.put(reason.name(), n));
        json.put("outcomes", outcomes);
        json.put("duplicates", counts.duplicates());
        json.put("unanswered", counts.unanswered());
        json.put("problems", problems.problems());
        json.put("messages_per_second", Math.round(messagesPerSecond()));
        json.put("requests_per_second", Math.round(requestsPerSecond()));
        Map<String, Double> latency = new LinkedHashMap<>();
        for (double p : PERCENTILES) {
            latency.put("p" + Latency.trim(p), Latency.millis(percentile(p)));
        }
        latency.put("max", Latency.millis(latencies.getMaxValue()));
        latency.put("mean", Latency.millis((long) latencies.getMean()));
        json.put("latency_ms", latency);
        List<Map<String, Object>> slos = new ArrayList<>();
        for (Slo slo : settings.slos()) {
            Map<String, Object> verdict = new LinkedHashMap<>();
            verdict.put("slo", slo.describe());
            verdict.put("value_ms", Latency.millis(slo.valueIn(latencies)));
            verdict.put("held", slo.heldBy(latencies));
            slos.add(verdict);
        }
        json.put("slos", slos);
        if (reading != null) {
            Map<String, Object> read = new LinkedHashMap<>();
            read.put("one_recipient_in", reading.every());
            read.put("read_messages", reading.read());
            read.put("unread_messages", reading.unread());
            read.put("untracked_messages", reading.untracked());
            for (double p : PERCENTILES) {
                read.put("p" + Latency.trim(p) + "_ms", Latency.millis(valueAt(reading.latencies(), p)));
            }
            read.put("max_ms", Latency.millis(reading.latencies().getMaxValue()));
            json.put("submit_to_read", read);
        }
        json.put("sustained", sustained());
        json.put("passed", passed());
        return new GsonBuilder().setPrettyPrinting().create().toJson(json);
    }

    /** HdrHistogram's percentile distribution, in milliseconds, as plotting tools read it. */
    void writeHgrm(OutputStream out) {
        PrintStream print = new PrintStream(out, false, StandardCharsets.UTF_8);
        latencies.outputPercentileDistribution(print, 1e6);
        print.flush();
    }

    /** Writes {@code <runId>.hgrm} and {@code <runId>.json} into {@code directory}; returns their paths. */
    List<Path> save(Path directory) throws IOException {
        Files.createDirectories(directory);
        Path hgrm = directory.resolve(runId + ".hgrm");
        try (OutputStream out = Files.newOutputStream(hgrm)) {
            writeHgrm(out);
        }
        Path json = directory.resolve(runId + ".json");
        Files.writeString(json, toJson() + System.lineSeparator());
        return List.of(hgrm, json);
    }

    private static void appendSection(StringBuilder out, String title, Map<String, Long> causes) {
        if (causes.isEmpty()) {
            return;
        }
        out.append(title).append(':').append(System.lineSeparator());
        causes.forEach((cause, count) -> out.append(String.format(Locale.ROOT, "  %-40s %,10d%n", cause, count)));
    }
}
