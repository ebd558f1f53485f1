package org.optline.loadtest;

import io.netty.channel.EventLoopGroup;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code seed}: opts recipients in through the consent API, so that a run's messages can be accepted. */
@Command(name = "seed", sortOptions = false, usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        description = {
            "Opts N recipients (UK mobile numbers +447900 and six digits, from zero upwards) in to the business's transactional messages, "
                    + "and every other one to its marketing too, through the consent API (platform key).",
            "Seeding is idempotent: an opt-in that exists is recorded again, nothing else changes."})
final class SeedCommand implements Callable<Integer> {
    /** Ten thousand: within the smallest tiers above the first, and seeded in seconds. */
    static final int DEFAULT_RECIPIENTS = 10_000;
    /** Opt-ins are small requests that each wait on a durable write: many lanes hide the round trips. */
    static final int DEFAULT_CONNECTIONS = 32;
    /** A seed that takes longer than an hour is stuck. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofHours(1);
    /** Often enough to look alive, rarely enough to cost nothing. */
    private static final long PROGRESS_EVERY_MILLIS = 250;

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private LoadTest parent;

    @Mixin
    private GatewayOptions gateway;

    @Option(names = "--recipients", paramLabel = "N",
            description = "How many recipients to opt in (default: ${DEFAULT-VALUE}).")
    private int recipients = DEFAULT_RECIPIENTS;

    @Option(names = "--connections", paramLabel = "N",
            description = "Opt-ins in flight, one per connection (default: ${DEFAULT-VALUE}).")
    private int connections = DEFAULT_CONNECTIONS;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Give up after this long (default: 1h).")
    private Duration timeout = DEFAULT_TIMEOUT;

    @Override
    public Integer call() throws InterruptedException {
        Target target;
        try {
            target = gateway.target(parent.environment());
            Settings.checkRange("--recipients", recipients, 1, Recipients.CAPACITY);
            Settings.checkRange("--connections", connections, 1, RunSettings.MAX_CONNECTIONS);
            if (target.platformKey() == null) {
                throw new IllegalArgumentException(
                        "Missing the platform key: give --platform-key or set " + LoadTest.PLATFORM_KEY_VARIABLE);
            }
        } catch (IllegalArgumentException e) {
            throw LoadTest.usage(spec, e);
        }
        PrintWriter out = spec.commandLine().getOut();
        EventLoopGroup group = Connections.group(connections);
        try {
            ConsentSeeder.Seeding seeding = seed(group, target, recipients, connections, timeout, out,
                    System.console() != null);
            return seeding.complete() ? 0 : 1;
        } finally {
            Connections.shutdown(group);
        }
    }

    /** Seeds {@code count} recipients with a progress bar, prints the result and returns it. */
    static ConsentSeeder.Seeding seed(EventLoopGroup group, Target target, int count, int connections,
            Duration timeout, PrintWriter out, boolean terminal) throws InterruptedException {
        ConsentSeeder seeder = new ConsentSeeder(group, target, count, connections);
        out.printf("seeding %,d recipients at %s:%d for %s: %,d opt-ins%n", count, target.host(), target.httpPort(),
                target.businessId(), seeder.planned());
        ProgressBar bar = new ProgressBar(out, "opt-ins", terminal);
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        CompletableFuture<Void> done = seeder.start();
        long lastShown = 0;
        while (!done.isDone()) {
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                seeder.stop("timeout");
                awaitQuietly(done);
                break;
            }
            awaitQuietly(done, Math.min(terminal ? PROGRESS_EVERY_MILLIS : 1_000, TimeUnit.NANOSECONDS.toMillis(
                    deadline - now) + 1));
            if (!done.isDone() && System.nanoTime() - lastShown >= TimeUnit.MILLISECONDS.toNanos(PROGRESS_EVERY_MILLIS)) {
                lastShown = System.nanoTime();
                bar.show(seeder.done(), seeder.planned(), seeder.done() / ((lastShown - started) / 1e9));
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        bar.show(seeder.done(), seeder.planned(), seeder.done() / Math.max(1e-9, elapsed.toNanos() / 1e9));
        bar.finish();
        ConsentSeeder.Seeding seeding = seeder.result(elapsed);
        out.print(seeding.format());
        out.println(seeding.complete() ? "seed ok" : "seed FAILED: not every opt-in was recorded");
        out.flush();
        return seeding;
    }

    private static void awaitQuietly(CompletableFuture<Void> done, long millis) throws InterruptedException {
        try {
            done.get(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // not yet: show progress and wait again
        } catch (ExecutionException e) {
            throw new IllegalStateException("the seeder counts failures instead of failing", e);
        }
    }

    private static void awaitQuietly(CompletableFuture<Void> done) throws InterruptedException {
        awaitQuietly(done, Run.READY_TIMEOUT.toMillis());
    }
}
