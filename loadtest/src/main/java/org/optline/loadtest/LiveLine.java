package org.optline.loadtest;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.optline.proto.v1.Reason;

/**
 * The line printed every second of a run: where in the run it is, the rate sent and answered
 * over the last second, that second's p50 and p99 from the intended send times, the client's
 * backlog and what is in flight, and the answers so far by outcome.
 */
final class LiveLine {
    private final OpenLoop loop;
    private final Latencies latencies;
    private final int batch;
    private final PrintWriter out;
    private long lastClaimed;
    private long lastAnswered;
    private long lastNanos;

    LiveLine(OpenLoop loop, Latencies latencies, int batch, PrintWriter out) {
        this.loop = loop;
        this.latencies = latencies;
        this.batch = batch;
        this.out = out;
        this.lastNanos = loop.schedule().startNanos();
    }

    void print(long nowNanos) {
        Histogram second = latencies.sinceLastInterval();
        Tally.Counts counts = loop.warmUpTally().snapshot().plus(loop.measuredTally().snapshot());
        long claimed = loop.claimed();
        long answered = counts.answered();
        double seconds = Math.max(1e-9, (nowNanos - lastNanos) / 1e9);
        String phase = nowNanos < loop.measureFromNanos() ? "warm-up" : loop.allDue() ? "drain" : "run";
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "[%4ds %-7s] sent %,9.0f msg/s  answered %,9.0f msg/s  p50 %9s  p99 %9s  backlog %,d  in flight %,d",
                Math.round((nowNanos - loop.schedule().startNanos()) / 1e9), phase,
                (claimed - lastClaimed) * (double) batch / seconds, (answered - lastAnswered) / seconds,
                second.getTotalCount() == 0 ? "-" : Latency.format(second.getValueAtPercentile(50)),
                second.getTotalCount() == 0 ? "-" : Latency.format(second.getValueAtPercentile(99)),
                loop.backlog(), loop.inFlight()));
        for (Map.Entry<Reason, Long> outcome : counts.outcomes().entrySet()) {
            line.append(String.format(Locale.ROOT, "  %s %,d", outcome.getKey().name(), outcome.getValue()));
        }
        long unanswered = counts.unansweredTotal();
        if (unanswered > 0) {
            line.append(String.format(Locale.ROOT, "  unanswered %,d", unanswered));
        }
        out.println(line);
        out.flush();
        lastClaimed = claimed;
        lastAnswered = answered;
        lastNanos = nowNanos;
    }
}
