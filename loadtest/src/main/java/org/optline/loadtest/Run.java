package org.optline.loadtest;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One open-model run against a gateway: opens the connections and waits until each is ready,
 * then paces the schedule (warm-up, then the measured part), prints a live line every second,
 * waits up to the grace period for the last answers, closes the connections and returns what
 * was measured.
 */
final class Run {
    /** A second per live line, as the SRE watching it expects. */
    static final Duration REPORT_EVERY = Duration.ofSeconds(1);
    /** How long connecting and authenticating every lane may take before the run starts without the slow ones. */
    static final Duration READY_TIMEOUT = Duration.ofMillis(Connections.CONNECT_TIMEOUT_MILLIS + 1_000);
    /** The schedule starts a little after the lanes are ready, so request 0 is not already late. */
    private static final long START_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final EventLoopGroup group;
    private final RunSettings settings;
    private final PrintWriter live;
    private final Consumption consumption;
    private final Ticker ticker = Ticker.SYSTEM;

    /** {@code live} gets the line of every second; the caller prints the result. */
    Run(EventLoopGroup group, RunSettings settings, PrintWriter live) {
        this(group, settings, live, null);
    }

    /** With a consumer side when {@code consumption} is not null (it needs the platform key). */
    Run(EventLoopGroup group, RunSettings settings, PrintWriter live, Consumption consumption) {
        this.group = group;
        this.settings = settings;
        this.live = live;
        this.consumption = consumption;
    }

    /**
     * The consumer side of a run: {@code connections} connections read the inboxes of one seeded
     * recipient in {@code every}.
     */
    record Consumption(int connections, int every) {
        Consumption {
            Settings.checkRange("--consume", connections, 1, RunSettings.MAX_CONNECTIONS);
            Settings.checkRange("--consume-every", every, 1, Recipients.CAPACITY);
        }
    }

    RunResult execute() throws InterruptedException {
        RunMessages messages = new RunMessages(RunMessages.newRunId(), new Recipients(settings.recipients()),
                settings.mix(), duplicateDistance(settings.messagesPerSecond()));
        Tally problems = new Tally();
        InboxReader reader = consumption == null ? null : new InboxReader(consumption.every(), ticker);
        Connected connected = settings.protocol() == Protocol.TCP
                ? connectTcp(messages, problems, reader)
                : connectHttp(messages, problems, reader);
        List<InboxLane> readers = reader == null ? List.of() : connectReaders(reader, messages.recipients(), problems);
        try {
            long start = ticker.nanoTime() + START_DELAY_NANOS;
            ArrivalSchedule schedule = ArrivalSchedule.of(start, settings.requestsPerSecond(), settings.requests());
            Latencies latencies = new Latencies();
            OpenLoop loop = new OpenLoop(schedule, start + settings.warmUp().toNanos(), ticker, latencies);
            if (connected.lanes().isEmpty()) {
                loop.stop();
                return RunResult.of(settings, messages.runId(), loop, latencies.measured(), problems, false, null);
            }
            connected.begin().accept(loop);
            readers.forEach(InboxLane::start);
            LiveLine line = new LiveLine(loop, latencies, settings.batch(), live);
            Pacer pacer = new Pacer(loop, connected.lanes(), REPORT_EVERY.toNanos(), line::print);
            boolean settled = pacer.run(schedule.lastNanos() + settings.grace().toNanos());
            loop.stop();
            if (!settled && !pacer.anyOpen()) {
                problems.problem("every connection was lost; the run stopped there");
            } else if (!settled) {
                problems.problem("answers still missing " + DurationConverter.format(settings.grace())
                        + " after the last request was due");
            }
            connected.close();
            InboxReader.Reading reading = null;
            if (reader != null) {
                // what was accepted last is read within moments, or the inboxes are behind
                long until = ticker.nanoTime() + settings.grace().toNanos();
                while (reader.awaiting() && ticker.nanoTime() - until < 0) {
                    Thread.sleep(10);
                }
                reading = reader.reading();
            }
            return RunResult.of(settings, messages.runId(), loop, latencies.measured(), problems, settled, reading);
        } finally {
            connected.close();
            readers.forEach(InboxLane::stop);
        }
    }

    private List<InboxLane> connectReaders(InboxReader reader, Recipients recipients, Tally problems)
            throws InterruptedException {
        Target target = settings.target();
        GatewayRequests requests = new GatewayRequests(target.host(), target.httpPort());
        List<InboxLane> lanes = new ArrayList<>();
        for (HttpConnection connection : openHttp(consumption.connections(), problems)) {
            lanes.add(new InboxLane(connection, requests, target.platformKey(), recipients, reader, problems));
        }
        return lanes;
    }

    /**
     * Opens {@code count} HTTP connections to the gateway and waits for them up to the ready
     * timeout; returns those that opened, and counts the others' failures as problems.
     */
    private List<HttpConnection> openHttp(int count, Tally problems) throws InterruptedException {
        Target target = settings.target();
        Bootstrap bootstrap = Connections.bootstrap(group, new HttpClientInitializer());
        List<CompletableFuture<HttpConnection>> opening = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            opening.add(HttpConnection.open(bootstrap, target.host(), target.httpPort()));
        }
        awaitAll(opening);
        List<HttpConnection> connections = new ArrayList<>();
        for (CompletableFuture<HttpConnection> open : opening) {
            if (!open.isDone()) {
                // still connecting at the timeout: close it when it does connect
                open.thenAccept(HttpConnection::close);
                problems.problem("connect timed out");
            } else if (open.isCompletedExceptionally()) {
                open.exceptionally(failure -> {
                    problems.problem(Connections.connectFailure(failure));
                    return null;
                });
            } else {
                connections.add(open.join());
            }
        }
        return connections;
    }

    /**
     * A duplicate repeats the message sent a second earlier (at least a thousand messages back),
     * so that the first one has normally been answered and the gateway sees a retry, not a race.
     */
    static long duplicateDistance(double messagesPerSecond) {
        return Math.max(1_000, (long) Math.ceil(messagesPerSecond));
    }

    /**
     * The lanes that got ready, how to start them on a run, and how to close them all (waiting a
     * bounded time for the connections to close, so their unanswered requests are counted).
     */
    private record Connected(List<Lane> lanes, Consumer<OpenLoop> begin, Runnable closer) {
        void close() {
            closer.run();
        }
    }

    private Connected connectTcp(RunMessages messages, Tally problems, InboxReader reader)
            throws InterruptedException {
        Target target = settings.target();
        List<Channel> channels = new ArrayList<>();
        List<TcpLane> ready = connect(new TcpClientInitializer(
                () -> new TcpLane(target.apiKey(), settings.inFlight(), settings.batch(), messages, problems, reader)),
                target.tcpPort(), TcpLane.class, TcpLane::ready, problems, channels);
        return new Connected(List.copyOf(ready), loop -> ready.forEach(lane -> lane.begin(loop)), () -> {
            ready.forEach(lane -> lane.stop(TcpLane.RUN_OVER));
            closeAll(channels);
        });
    }

    private Connected connectHttp(RunMessages messages, Tally problems, InboxReader reader)
            throws InterruptedException {
        Target target = settings.target();
        byte[] head = new GatewayRequests(target.host(), target.httpPort()).submitHead(target.apiKey());
        List<Channel> channels = new ArrayList<>();
        List<HttpLane> ready = connect(new HttpLaneInitializer(
                () -> new HttpLane(head, settings.batch(), messages, problems, reader)),
                target.httpPort(), HttpLane.class, HttpLane::ready, problems, channels);
        return new Connected(List.copyOf(ready), loop -> ready.forEach(lane -> lane.begin(loop)), () -> {
            ready.forEach(HttpLane::stop);
            closeAll(channels);
        });
    }

    /**
     * Opens the run's connections to {@code port}, each with its lane, and waits up to the ready
     * timeout for every lane to say it is ready; returns the lanes that are, in order, and adds
     * every channel to {@code channels} so that all of them are closed at the end.
     */
    private <L extends ChannelHandler> List<L> connect(ChannelInitializer<Channel> initializer, int port,
            Class<L> laneType, Function<L, CompletableFuture<Void>> readiness, Tally problems, List<Channel> channels)
            throws InterruptedException {
        Bootstrap bootstrap = Connections.bootstrap(group, initializer);
        List<CompletableFuture<Void>> readies = new ArrayList<>();
        for (int i = 0; i < settings.connections(); i++) {
            ChannelFuture connecting = bootstrap.connect(settings.target().host(), port);
            Channel channel = connecting.channel();
            channels.add(channel);
            CompletableFuture<Void> ready = new CompletableFuture<>();
            connecting.addListener(f -> {
                if (!f.isSuccess()) {
                    problems.problem(Connections.connectFailure(f.cause()));
                    ready.completeExceptionally(f.cause());
                } else {
                    readiness.apply(channel.pipeline().get(laneType)).whenComplete((ok, failure) -> {
                        if (failure != null) {
                            ready.completeExceptionally(failure);
                        } else {
                            ready.complete(null);
                        }
                    });
                }
            });
            readies.add(ready);
        }
        awaitAll(readies);
        List<L> ready = new ArrayList<>();
        for (int i = 0; i < channels.size(); i++) {
            if (readies.get(i).isDone() && !readies.get(i).isCompletedExceptionally()) {
                ready.add(channels.get(i).pipeline().get(laneType));
            }
        }
        int lost = settings.connections() - ready.size();
        if (lost > 0 && problems.snapshot().problems().isEmpty()) {
            problems.problem("connections not ready in " + DurationConverter.format(READY_TIMEOUT));
        }
        return ready;
    }

    private static void closeAll(List<Channel> channels) {
        channels.forEach(Channel::close);
        awaitClosed(channels.stream().map(channel -> {
            CompletableFuture<Void> closed = new CompletableFuture<>();
            channel.closeFuture().addListener(f -> closed.complete(null));
            return closed;
        }).toList());
    }

    private static void awaitClosed(List<CompletableFuture<Void>> closing) {
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(READY_TIMEOUT.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // counted by the lanes as they close; a connection that will not close is left to the event loop
        }
    }

    private static void awaitAll(List<? extends CompletableFuture<?>> futures) throws InterruptedException {
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                    .get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // each future's own outcome is looked at by the caller
        }
    }
}
