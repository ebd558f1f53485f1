package org.optline.loadtest;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.optline.proto.v1.Reason;

/**
 * What a run achieved, as the operator reads it: the answers by reason, what went unanswered
 * and why, the rates and the elapsed time. A run succeeded when every message was sent and
 * answered; refusals such as {@code NOT_OPTED_IN} are answers, so they do not fail it.
 *
 * @param planned the messages the run meant to send
 * @param elapsed from the first connection attempt to the last answer
 */
record Report(long planned, Tally.Counts counts, Duration elapsed) {

    /** Messages that were never handed to a connection, because the run stopped early. */
    long notSent() {
        return Math.max(0, planned - counts.answered() - counts.unansweredTotal());
    }

    boolean succeeded() {
        return counts.answered() == planned && counts.unansweredTotal() == 0 && counts.problems().isEmpty();
    }

    double messagesPerSecond() {
        return perSecond(counts.answered());
    }

    double requestsPerSecond() {
        return perSecond(counts.requests());
    }

    /** The report as lines of text, ending with a newline. */
    String format() {
        StringBuilder out = new StringBuilder();
        long answered = counts.answered();
        out.append(String.format(Locale.ROOT, "answered %d of %d messages in %d requests; %d unanswered, %d not sent%n",
                answered, planned, counts.requests(), counts.unansweredTotal(), notSent()));
        for (Map.Entry<Reason, Long> outcome : counts.outcomes().entrySet()) {
            out.append(String.format(Locale.ROOT, "  %-20s %12d %7.2f%%%n",
                    outcome.getKey().name(), outcome.getValue(), 100.0 * outcome.getValue() / answered));
        }
        appendSection(out, "unanswered", counts.unanswered());
        appendSection(out, "problems", counts.problems());
        out.append(String.format(Locale.ROOT, "elapsed %.3f s, %.1f messages/s, %.1f requests/s%n",
                elapsed.toNanos() / 1e9, messagesPerSecond(), requestsPerSecond()));
        out.append(succeeded() ? "run ok" : "run FAILED").append(System.lineSeparator());
        return out.toString();
    }

    private static void appendSection(StringBuilder out, String title, Map<String, Long> causes) {
        if (causes.isEmpty()) {
            return;
        }
        out.append(title).append(':').append(System.lineSeparator());
        causes.forEach((cause, count) -> out.append(String.format(Locale.ROOT, "  %-32s %8d%n", cause, count)));
    }

    private double perSecond(long count) {
        long nanos = elapsed.toNanos();
        // a run of zero measured time has no meaningful rate; 0 reads better than Infinity
        return nanos <= 0 ? 0 : count * 1e9 / nanos;
    }
}
