package org.optline.loadtest;

import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.optline.proto.v1.Reason;
import org.optline.server.Gateway;
import org.optline.server.config.ConfigLoader;
import org.optline.server.config.GatewayConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code selfcheck}: the quick "does it fly" — starts a gateway in this process on a temporary
 * directory (RocksDB, demo business, free ports), seeds recipients, runs ten seconds of the
 * default mix over TCP and prints the summary. Needs nothing running and leaves nothing behind.
 */
@Command(name = "selfcheck", sortOptions = false, usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        description = {
            "Starts a gateway in this process on a temporary directory, seeds recipients, runs at a modest "
                    + "rate for ten seconds and prints the summary; exit 0 when every message was answered "
                    + "and some were accepted.",
            "The gateway and the load share this process and machine: read the figures as a smoke test, "
                    + "not a benchmark."})
final class SelfCheckCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--rate", paramLabel = "MSG/S", description = "Messages per second (default: ${DEFAULT-VALUE}).")
    private double rate = 2_000;

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "The measured part (default: 10s).")
    private Duration duration = Duration.ofSeconds(10);

    @Option(names = "--recipients", paramLabel = "N", description = "Recipients to seed (default: ${DEFAULT-VALUE}).")
    private int recipients = 1_000;

    @Option(names = "--memory", description = "Keep the gateway's store in memory instead of RocksDB.")
    private boolean memory;

    @Override
    public Integer call() throws Exception {
        RunSettings probe;
        try {
            Settings.checkRange("--recipients", recipients, 1, Recipients.CAPACITY);
            // checked before anything starts: the real target is known only once the gateway runs
            probe = settings(new Target(Target.DEFAULT_HOST, 1, 1, "probe", "probe", Target.DEFAULT_BUSINESS));
        } catch (IllegalArgumentException e) {
            throw LoadTest.usage(spec, e);
        }
        PrintWriter out = spec.commandLine().getOut();
        // the gateway's own INFO lines would drown the harness's output
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        Path directory = Files.createTempDirectory("optline-selfcheck-");
        try {
            ConfigLoader.Loaded loaded = ConfigLoader.load(null, Map.of(
                    "OPTLINE_DATA_DIR", directory.toString(),
                    "OPTLINE_STORAGE", memory ? "memory" : "rocksdb",
                    "OPTLINE_HTTP_HOST", Target.DEFAULT_HOST, "OPTLINE_HTTP_PORT", "0",
                    "OPTLINE_TCP_HOST", Target.DEFAULT_HOST, "OPTLINE_TCP_PORT", "0"));
            Gateway gateway = memory
                    ? Gateway.inMemory(loaded.config(), InstantSource.system())
                    : Gateway.durable(loaded.config(), InstantSource.system());
            try (AutoCloseable closing = gateway::close) {
                gateway.start();
                out.printf("selfcheck: gateway started in this process (%s store in %s), HTTP %d, TCP %d%n",
                        memory ? "in-memory" : "RocksDB", directory, gateway.httpPort(), gateway.tcpPort());
                Target target = new Target(Target.DEFAULT_HOST, gateway.tcpPort(), gateway.httpPort(),
                        loaded.demo().businessKey(), loaded.demo().platformKey(), Target.DEFAULT_BUSINESS);
                return check(target, probe.connections(), out);
            }
        } finally {
            deleteRecursively(directory);
            // The recipients' keys are kept beside the data, not in it.
            deleteRecursively(Path.of(directory + GatewayConfig.DEFAULT_KEYS_DIR_SUFFIX));
        }
    }

    private int check(Target target, int connections, PrintWriter out) throws InterruptedException {
        EventLoopGroup group = Connections.group(Math.max(connections, SeedCommand.DEFAULT_CONNECTIONS));
        try {
            ConsentSeeder.Seeding seeding = SeedCommand.seed(group, target, recipients, SeedCommand.DEFAULT_CONNECTIONS,
                    SeedCommand.DEFAULT_TIMEOUT, out, false);
            if (!seeding.complete()) {
                out.println("selfcheck FAILED: seeding did not complete");
                return 1;
            }
            RunResult result = RunCommand.run(group, settings(target), out);
            boolean ok = result.complete() && result.counts().count(Reason.ACCEPTED) > 0;
            out.println(ok ? "selfcheck ok" : "selfcheck FAILED");
            out.flush();
            return ok ? 0 : 1;
        } finally {
            Connections.shutdown(group);
        }
    }

    /** TCP, ten messages a request over four connections: a modest sender, well inside any machine's limit. */
    private RunSettings settings(Target target) {
        return new RunSettings(target, Protocol.TCP, rate, 10, 4, 16, Duration.ofSeconds(2), duration,
                Duration.ofSeconds(10), recipients,
                new MessageMix(MessageMix.parseWeights(MessageMix.DEFAULT_KINDS), MessageMix.DEFAULT_NON_CONSENTED,
                        MessageMix.DEFAULT_INVALID, MessageMix.DEFAULT_DUPLICATES),
                List.of());
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
