package org.optline.loadtest;

import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code run}: loads a gateway at a constant arrival rate and measures latency from the intended send times. */
@Command(name = "run", sortOptions = false, usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        description = {
            "Sends messages at a constant arrival rate (open model): each request is due at its own time "
                    + "whether or not earlier ones were answered, and its latency counts from that time, so a "
                    + "stalled gateway shows up in the percentiles (no coordinated omission).",
            "Prints a line every second, then the measured percentiles and outcomes; saves <run-id>.hgrm and "
                    + "<run-id>.json in the results directory. Seed the recipients first."})
final class RunCommand implements Callable<Integer> {
    /** Where results go unless told otherwise: beside the working directory, out of the way. */
    static final String DEFAULT_RESULTS = "loadtest-results";

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private LoadTest parent;

    @Mixin
    private GatewayOptions gateway;

    @Option(names = "--rate", paramLabel = "MSG/S", required = true,
            description = "Messages per second; requests go out at this rate divided by --batch.")
    private double rate;

    @Mixin
    private LoadOptions load;

    @Option(names = "--warm-up", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Sent and counted apart before the measured part (default: 5s).")
    private Duration warmUp = Duration.ofSeconds(5);

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "The measured part (default: 30s).")
    private Duration duration = Duration.ofSeconds(30);

    @Option(names = "--slo", paramLabel = "BOUND",
            description = "A latency bound the run must meet, such as p99<5ms, p99.9<=20ms or max<1s; "
                    + "repeatable. Exit code 1 when one fails.")
    private List<String> slos = new ArrayList<>();

    @Option(names = "--consume", paramLabel = "N",
            description = "Also read recipients' inboxes over N connections while the load runs (platform key), "
                    + "acknowledging what is read, and report submit-to-read latency from the intended send time.")
    private int consume;

    @Option(names = "--consume-every", paramLabel = "K",
            description = "With --consume: read the inboxes of one seeded recipient in K (default: ${DEFAULT-VALUE}).")
    private int consumeEvery = 100;

    @Option(names = "--results", paramLabel = "DIR", description = "Where to save the .hgrm and .json "
            + "(default: ${DEFAULT-VALUE}).")
    private Path results = Path.of(DEFAULT_RESULTS);

    @Override
    public Integer call() throws InterruptedException {
        RunSettings settings;
        Run.Consumption consumption = null;
        try {
            settings = load.settings(gateway.target(parent.environment()), rate, warmUp, duration,
                    slos.stream().map(Slo::parse).toList());
            if (consume > 0) {
                consumption = new Run.Consumption(consume, consumeEvery);
                if (settings.target().platformKey() == null) {
                    throw new IllegalArgumentException("--consume reads inboxes with the platform key: give "
                            + "--platform-key or set " + LoadTest.PLATFORM_KEY_VARIABLE);
                }
            }
        } catch (IllegalArgumentException e) {
            throw LoadTest.usage(spec, e);
        }
        PrintWriter out = spec.commandLine().getOut();
        EventLoopGroup group = Connections.group(settings.connections());
        try {
            RunResult result = run(group, settings, consumption, out);
            save(result, results, out);
            return result.passed() ? 0 : 1;
        } finally {
            Connections.shutdown(group);
        }
    }

    /** One run with its header, live lines and summary printed to {@code out}. */
    static RunResult run(EventLoopGroup group, RunSettings settings, PrintWriter out) throws InterruptedException {
        return run(group, settings, null, out);
    }

    /** As {@link #run(EventLoopGroup, RunSettings, PrintWriter)}, with a consumer side unless {@code consumption} is null. */
    static RunResult run(EventLoopGroup group, RunSettings settings, Run.Consumption consumption, PrintWriter out)
            throws InterruptedException {
        out.println("optline loadtest run: " + settings.describe());
        out.flush();
        RunResult result = new Run(group, settings, out, consumption).execute();
        out.print(result.format());
        out.flush();
        return result;
    }

    /** Saves the histogram and the summary; a failure to write is reported, not fatal to the run's verdict. */
    static void save(RunResult result, Path directory, PrintWriter out) {
        try {
            List<Path> written = result.save(directory);
            out.println("saved " + written.get(0) + " and " + written.get(1));
        } catch (IOException e) {
            out.println("could not save the results in " + directory + ": " + e.getMessage());
        }
        out.flush();
    }
}
