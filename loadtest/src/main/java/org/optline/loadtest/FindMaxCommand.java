package org.optline.loadtest;

import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code find-max}: raises the rate step by step until it no longer holds, narrows down between
 * the last rate that held and the first that did not, and reports the highest one that held;
 * then, by default, measures the latency at half of it.
 */
@Command(name = "find-max", sortOptions = false, usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        description = {
            "Finds the highest arrival rate that holds: every message answered at close to the rate, none "
                    + "refused as OVERLOADED or RATE_LIMITED, and p99 under --p99.",
            "Each step is a short open-model run (see 'run'); the steps' summaries go to the results directory."})
final class FindMaxCommand implements Callable<Integer> {
    /** Pause between steps, so that one step's tail is not the next one's start. */
    private static final Duration SETTLE = Duration.ofSeconds(1);

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private LoadTest parent;

    @Mixin
    private GatewayOptions gateway;

    @Mixin
    private LoadOptions load;

    @Option(names = "--p99", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "The p99 latency a rate must stay under to hold (default: 5ms).")
    private Duration p99 = Duration.ofMillis(5);

    @Option(names = "--start-rate", paramLabel = "MSG/S", description = "The first step (default: ${DEFAULT-VALUE}).")
    private double startRate = 1_000;

    @Option(names = "--max-rate", paramLabel = "MSG/S", description = "Never go above this (default: ${DEFAULT-VALUE}).")
    private double maxRate = 5_000_000;

    @Option(names = "--factor", paramLabel = "X",
            description = "Each step's rate is the last one's times this, until one fails (default: ${DEFAULT-VALUE}).")
    private double factor = 2;

    @Option(names = "--refine", paramLabel = "N",
            description = "Halvings of the gap between the last rate that held and the first that failed "
                    + "(default: ${DEFAULT-VALUE}).")
    private int refine = 3;

    @Option(names = "--warm-up", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Warm-up of each step (default: 2s).")
    private Duration warmUp = Duration.ofSeconds(2);

    @Option(names = "--step-duration", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Measured part of each step (default: 8s).")
    private Duration stepDuration = Duration.ofSeconds(8);

    @Option(names = "--prime", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "First a run of this long at the start rate, not counted, so that both JVMs have "
                    + "compiled their hot paths before the first step is judged; 0s skips it (default: 15s).")
    private Duration prime = Duration.ofSeconds(15);

    @Option(names = "--half", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Then run once more at half the highest rate and report its latency (default: on).")
    private boolean half;

    @Option(names = "--results", paramLabel = "DIR", description = "Where to save the summaries "
            + "(default: ${DEFAULT-VALUE}).")
    private Path results = Path.of(RunCommand.DEFAULT_RESULTS);

    @Override
    public Integer call() throws InterruptedException {
        RunSettings first;
        try {
            if (!(factor > 1 && factor <= 100)) {
                throw new IllegalArgumentException("--factor must be above 1 and at most 100");
            }
            Settings.checkRange("--refine", refine, 0, 20);
            if (!(maxRate >= startRate)) {
                throw new IllegalArgumentException("--max-rate must not be below --start-rate");
            }
            Slo bound = new Slo(99, p99.toNanos(), false);
            first = load.settings(gateway.target(parent.environment()), startRate, warmUp, stepDuration,
                    List.of(bound));
            first.atRate(maxRate);
            if (!prime.isZero()) {
                priming(first);
            }
        } catch (IllegalArgumentException e) {
            throw LoadTest.usage(spec, e);
        }
        PrintWriter out = spec.commandLine().getOut();
        EventLoopGroup group = Connections.group(first.connections());
        try {
            return search(group, first, out);
        } finally {
            Connections.shutdown(group);
        }
    }

    private int search(EventLoopGroup group, RunSettings first, PrintWriter out) throws InterruptedException {
        List<RunResult> steps = new ArrayList<>();
        RunResult best = null;
        double failedAt = Double.NaN;
        double rate = first.messagesPerSecond();
        if (!prime.isZero()) {
            out.println("priming: a run at the start rate that is not counted");
            RunCommand.run(group, priming(first), out);
            Thread.sleep(SETTLE.toMillis());
        }
        // climb until a step fails or the ceiling is reached
        while (true) {
            RunResult step = step(group, first.atRate(rate), steps, out);
            if (!holds(step)) {
                failedAt = rate;
                break;
            }
            best = step;
            if (rate >= maxRate) {
                break;
            }
            rate = Math.min(maxRate, rate * factor);
        }
        // narrow the gap between the last rate that held and the first that failed
        for (int i = 0; i < refine && !Double.isNaN(failedAt); i++) {
            double low = best == null ? 0 : best.settings().messagesPerSecond();
            double middle = (low + failedAt) / 2;
            if (middle < 1 || failedAt - low < Math.max(1, low * 0.02)) {
                break;
            }
            RunResult step = step(group, first.atRate(middle), steps, out);
            if (holds(step)) {
                best = step;
            } else {
                failedAt = middle;
            }
        }
        RunResult halfStep = null;
        // below 2 msg/s there is no half rate to run (the lowest rate is 1 msg/s)
        if (best != null && half && best.settings().messagesPerSecond() >= 2) {
            halfStep = step(group, first.atRate(best.settings().messagesPerSecond() / 2), steps, out);
        }
        out.println();
        out.println(table(steps));
        if (best == null) {
            out.printf(Locale.ROOT, "no rate held, not even the lowest tried (see the table)%n");
        } else {
            out.printf(Locale.ROOT, "highest rate that held: %,.0f messages/s (%,.0f requests/s) with p50 %s, "
                            + "p99 %s (bound p99<%s)%n", best.messagesPerSecond(), best.requestsPerSecond(),
                    Latency.format(best.percentile(50)), Latency.format(best.percentile(99)),
                    Latency.format(p99.toNanos()));
            if (halfStep != null) {
                out.printf(Locale.ROOT, "at half that rate (%,.0f messages/s): p50 %s, p99 %s, p99.9 %s%n",
                        halfStep.settings().messagesPerSecond(), Latency.format(halfStep.percentile(50)),
                        Latency.format(halfStep.percentile(99)), Latency.format(halfStep.percentile(99.9)));
            }
        }
        save(steps, best, halfStep, out);
        out.flush();
        return best != null ? 0 : 1;
    }

    /** The uncounted first run: the start rate, for --prime, no SLO. */
    private RunSettings priming(RunSettings first) {
        try {
            return new RunSettings(first.target(), first.protocol(), first.messagesPerSecond(), first.batch(),
                    first.connections(), first.inFlight(), Duration.ZERO, prime, first.grace(), first.recipients(),
                    first.mix(), List.of());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().replace("--duration", "--prime"), e);
        }
    }

    /** A step holds when the gateway kept up and p99 stayed under the bound. */
    static boolean holds(RunResult step) {
        return step.sustained() && step.failedSlos().isEmpty();
    }

    private static RunResult step(EventLoopGroup group, RunSettings settings, List<RunResult> steps, PrintWriter out)
            throws InterruptedException {
        out.println();
        RunResult result = RunCommand.run(group, settings, out);
        out.println(holds(result) ? "step held" : "step did NOT hold");
        steps.add(result);
        Thread.sleep(SETTLE.toMillis());
        return result;
    }

    private static String table(List<RunResult> steps) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%14s %14s %12s %10s %10s %10s  %s%n",
                "asked msg/s", "answered msg/s", "requests/s", "p50", "p99", "p99.9", "verdict"));
        for (RunResult step : steps) {
            out.append(String.format(Locale.ROOT, "%,14.0f %,14.0f %,12.0f %10s %10s %10s  %s%n",
                    step.settings().messagesPerSecond(), step.messagesPerSecond(), step.requestsPerSecond(),
                    Latency.format(step.percentile(50)), Latency.format(step.percentile(99)),
                    Latency.format(step.percentile(99.9)), holds(step) ? "held" : "did not hold"));
        }
        return out.toString();
    }

    private void save(List<RunResult> steps, RunResult best, RunResult halfStep, PrintWriter out) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("p99_bound_ms", Latency.millis(p99.toNanos()));
        summary.put("highest_rate_messages_per_second", best == null ? 0 : Math.round(best.messagesPerSecond()));
        summary.put("highest_rate_run", best == null ? null : best.runId());
        summary.put("half_rate_run", halfStep == null ? null : halfStep.runId());
        summary.put("steps", steps.stream().map(RunResult::runId).toList());
        try {
            for (RunResult step : steps) {
                step.save(results);
            }
            Path file = results.resolve("find-max-" + steps.get(0).runId() + ".json");
            Files.writeString(file, new com.google.gson.GsonBuilder().setPrettyPrinting().serializeNulls().create()
                    .toJson(summary) + System.lineSeparator());
            out.println("saved " + file + " and each step's .hgrm and .json in " + results);
        } catch (IOException e) {
            out.println("could not save the results in " + results + ": " + e.getMessage());
        }
    }
}
