package org.optline.loadtest;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The load-test command: sends a run of transactional balance alerts to a running gateway
 * over TCP or HTTP, optionally opting the recipients in first, and prints the answers by
 * reason, the rate and the elapsed time. Exits 0 when every message was answered, 1 when the
 * run failed (unreachable gateway, refused key, timeout, lost connections), 2 on a usage error.
 */
@Command(
        name = "optline-loadtest",
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = "Sends messages to a running Optline gateway and reports the outcomes and the rate.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every message was answered", "1:the run failed", "2:usage error"})
public final class LoadTest implements Callable<Integer> {
    /** Where the business key is read from when --key is not given: keeps it off the command line. */
    static final String KEY_VARIABLE = "OPTLINE_KEY";
    /** Where the platform key is read from when --platform-key is not given. */
    static final String PLATFORM_KEY_VARIABLE = "OPTLINE_PLATFORM_KEY";
    /** A run that does not finish in two minutes is stuck or far too big. */
    static final String DEFAULT_TIMEOUT = "120s";
    /** The cause under which messages still in flight at the deadline are counted. */
    static final String TIMEOUT = "timeout";
    /**
     * Closing connections takes milliseconds, but a connection attempt under way ends only at
     * its connect timeout; past that something is stuck, and the report goes out anyway.
     */
    private static final Duration STOP_GRACE = Duration.ofMillis(Connections.CONNECT_TIMEOUT_MILLIS + 1_000);

    private final Map<String, String> environment;

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Option(names = "--protocol", paramLabel = "tcp|http", description = "How to send: tcp or http (default: tcp).")
    private Protocol protocol = Protocol.TCP;

    @Option(names = "--host", paramLabel = "HOST", description = "The gateway's host (default: ${DEFAULT-VALUE}).")
    private String host = RunPlan.DEFAULT_HOST;

    @Option(names = "--tcp-port", paramLabel = "PORT",
            description = "The gateway's binary-protocol port (default: ${DEFAULT-VALUE}).")
    private int tcpPort = RunPlan.DEFAULT_TCP_PORT;

    @Option(names = "--http-port", paramLabel = "PORT",
            description = "The gateway's HTTP port, also for opt-ins (default: ${DEFAULT-VALUE}).")
    private int httpPort = RunPlan.DEFAULT_HTTP_PORT;

    @Option(names = "--key", paramLabel = "KEY",
            description = "The business's API key (default: the environment variable " + KEY_VARIABLE + ").")
    private String key;

    @Option(names = "--platform-key", paramLabel = "KEY",
            description = "The platform's key; when given, every recipient is first opted in to the business's "
                    + "transactional messages, so that they can be ACCEPTED (default: the environment variable "
                    + PLATFORM_KEY_VARIABLE + ").")
    private String platformKey;

    @Option(names = "--business", paramLabel = "ID",
            description = "The business the opt-ins are for (default: ${DEFAULT-VALUE}).")
    private String business = RunPlan.DEFAULT_BUSINESS;

    @Option(names = "--messages", paramLabel = "N",
            description = "How many messages to send (default: ${DEFAULT-VALUE}).")
    private long messages = RunPlan.DEFAULT_MESSAGES;

    @Option(names = "--batch", paramLabel = "N",
            description = "Messages per request, at most " + RunPlan.MAX_BATCH + " (default: 100 for tcp, 1 for http).")
    private Integer batch;

    @Option(names = "--connections", paramLabel = "N", description = "Connections to open (default: ${DEFAULT-VALUE}).")
    private int connections = RunPlan.DEFAULT_CONNECTIONS;

    @Option(names = "--in-flight", paramLabel = "N",
            description = "Requests in flight per TCP connection, lowered to the server's limit "
                    + "(default: ${DEFAULT-VALUE}).")
    private int inFlight = RunPlan.DEFAULT_IN_FLIGHT;

    @Option(names = "--recipients", paramLabel = "N",
            description = "Distinct recipients the messages cycle through (default: ${DEFAULT-VALUE}).")
    private int recipients = RunPlan.DEFAULT_RECIPIENTS;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = DEFAULT_TIMEOUT,
            converter = DurationConverter.class,
            description = "Stop after this long and report what came back: 90s, 2m, 500ms (default: ${DEFAULT-VALUE}).")
    private Duration timeout;

    /** {@code environment} supplies the keys not given as options. */
    LoadTest(Map<String, String> environment) {
        this.environment = environment;
    }

    /** Runs the command and exits with its exit code. */
    public static void main(String[] args) {
        System.exit(commandLine(System.getenv()).execute(args));
    }

    /** The command line for this command, reading missing keys from {@code environment}. */
    static CommandLine commandLine(Map<String, String> environment) {
        return new CommandLine(new LoadTest(environment))
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler(LoadTest::usageError);
    }

    /** A usage error: the message and a pointer to --help, without the whole usage text. */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        PrintWriter err = commandLine.getErr();
        err.println(e.getMessage());
        err.println("Try '" + commandLine.getCommandName() + " --help' for the options.");
        err.flush();
        return commandLine.getCommandSpec().exitCodeOnInvalidInput();
    }

    @Override
    public Integer call() throws InterruptedException {
        RunPlan plan = plan();
        PrintWriter out = spec.commandLine().getOut();
        out.println("optline loadtest: " + plan.describe());
        out.flush();
        // no more threads than connections: each connection lives on one event loop anyway
        int threads = Math.min(plan.connections(), Runtime.getRuntime().availableProcessors());
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        try {
            int exitCode = run(plan, group, out);
            out.flush();
            return exitCode;
        } finally {
            group.shutdownGracefully(0, STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)
                    .awaitUninterruptibly(STOP_GRACE.toMillis());
        }
    }

    /** The checked settings; a bad value is a usage error. */
    RunPlan plan() {
        try {
            return new RunPlan(protocol, host, tcpPort, httpPort, businessKey(),
                    platformKey != null ? platformKey : fromEnvironment(PLATFORM_KEY_VARIABLE),
                    business, messages, batch != null ? batch : RunPlan.defaultBatch(protocol),
                    connections, inFlight, recipients, timeout);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    private String businessKey() {
        String resolved = key != null ? key : fromEnvironment(KEY_VARIABLE);
        if (resolved == null || resolved.isBlank()) {
            throw new ParameterException(spec.commandLine(),
                    "Missing the business key: give --key or set " + KEY_VARIABLE);
        }
        return resolved;
    }

    /** A variable's value; an empty variable counts as unset, as shells often leave them. */
    private String fromEnvironment(String variable) {
        String value = environment.get(variable);
        return value == null || value.isBlank() ? null : value;
    }

    private static int run(RunPlan plan, EventLoopGroup group, PrintWriter out) throws InterruptedException {
        // one deadline for the whole run, opt-ins included: --timeout bounds the command
        long deadline = System.nanoTime() + plan.timeout().toNanos();
        Recipients recipients = new Recipients(plan.recipients());
        if (plan.optsIn()) {
            // only the recipients the messages go to need an opt-in
            int count = (int) Math.min(plan.recipients(), plan.messages());
            ConsentSeeder seeder = new ConsentSeeder(group, plan, recipients, count);
            long started = System.nanoTime();
            boolean settled = runUntil(seeder, deadline);
            ConsentSeeder.Seeding seeding = seeder.result(Duration.ofNanos(System.nanoTime() - started));
            out.print(seeding.format());
            if (!settled || !seeding.complete()) {
                out.println("run FAILED: not every recipient was opted in");
                return 1;
            }
        }
        Tally tally = new Tally();
        Workload workload = new Workload(plan.messages(), new BalanceAlerts(BalanceAlerts.newRunId(), recipients));
        Driver driver = plan.protocol() == Protocol.TCP
                ? new TcpDriver(group, plan, workload, tally)
                : new HttpDriver(group, plan, workload, tally);
        long started = System.nanoTime();
        if (!runUntil(driver, deadline)) {
            tally.problem("connections still open " + STOP_GRACE.toSeconds() + "s after stop");
        }
        Report report = new Report(plan.messages(), tally.snapshot(), Duration.ofNanos(System.nanoTime() - started));
        out.print(report.format());
        return report.succeeded() ? 0 : 1;
    }

    /**
     * Runs {@code driver} until it finishes or the deadline passes, then stops it; false when it
     * did not finish even after being stopped.
     */
    private static boolean runUntil(Driver driver, long deadlineNanos) throws InterruptedException {
        CompletableFuture<Void> done = driver.start();
        try {
            done.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            driver.stop(TIMEOUT);
        } catch (InterruptedException e) {
            driver.stop("interrupted");
            throw e;
        } catch (ExecutionException e) {
            throw new IllegalStateException("drivers count failures instead of failing", e);
        }
        try {
            done.get(STOP_GRACE.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("drivers count failures instead of failing", e);
        }
    }
}
