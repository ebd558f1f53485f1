package org.optline.loadtest;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Sends a run's messages over the binary protocol: a few connections, each with its own
 * window of pipelined submissions, all claiming batches from one workload.
 */
final class TcpDriver implements Driver {
    private final Bootstrap bootstrap;
    private final RunPlan plan;
    private final Workload workload;
    private final Tally tally;
    private final Queue<Channel> channels = new ConcurrentLinkedQueue<>();
    private volatile String stopCause;

    TcpDriver(EventLoopGroup group, RunPlan plan, Workload workload, Tally tally) {
        this.plan = plan;
        this.workload = workload;
        this.tally = tally;
        this.bootstrap = Connections.bootstrap(group, new TcpClientInitializer(
                () -> new SubmitHandler(workload, tally, plan.apiKey(), plan.inFlight(), plan.batch())));
    }

    @Override
    public CompletableFuture<Void> start() {
        List<CompletableFuture<Void>> lanes = new ArrayList<>();
        for (int i = 0; i < plan.connections(); i++) {
            lanes.add(connect());
        }
        return CompletableFuture.allOf(lanes.toArray(CompletableFuture[]::new));
    }

    @Override
    public void stop(String cause) {
        if (stopCause == null) {
            stopCause = cause;
        }
        workload.stop();
        channels.forEach(this::stop);
    }

    private CompletableFuture<Void> connect() {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        ChannelFuture connecting = bootstrap.connect(plan.host(), plan.tcpPort());
        Channel channel = connecting.channel();
        channel.closeFuture().addListener(f -> closed.complete(null));
        // registered before the stop check, so stop() and this method cannot both miss it
        channels.add(channel);
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                tally.problem(Connections.connectFailure(f.cause()));
                closed.complete(null);
            } else if (stopCause != null) {
                stop(channel);
            }
        });
        if (stopCause != null) {
            stop(channel);
        }
        return closed;
    }

    private void stop(Channel channel) {
        SubmitHandler submitter = channel.pipeline().get(SubmitHandler.class);
        if (submitter != null) {
            submitter.stop(stopCause);
        } else {
            channel.close();
        }
    }
}
