package org.optline.loadtest;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/** How the drivers open client connections, so that every driver connects the same way. */
final class Connections {
    /** A gateway that does not accept a connection in five seconds is not there. */
    static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private Connections() {
    }

    /**
     * Event loops for {@code connections} client connections: no more threads than connections or
     * cores. On epoll where Linux has it, as the gateway and the baseline are: it makes fewer
     * system calls per request than Java's selector, and the client must cost as little as it can.
     */
    static EventLoopGroup group(int connections) {
        int threads = Math.max(1, Math.min(connections, Runtime.getRuntime().availableProcessors()));
        return new MultiThreadIoEventLoopGroup(threads,
                Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    /**
     * Stops the event loops. Closing connections takes milliseconds, but a connection attempt
     * under way ends only at its connect timeout; past that something is stuck, and the
     * command ends anyway.
     */
    static void shutdown(EventLoopGroup group) {
        long grace = CONNECT_TIMEOUT_MILLIS + 1_000L;
        group.shutdownGracefully(0, grace, TimeUnit.MILLISECONDS).awaitUninterruptibly(grace);
    }

    static Bootstrap bootstrap(EventLoopGroup group, ChannelInitializer<Channel> initializer) {
        boolean epoll = group instanceof IoEventLoopGroup io && io.isIoType(EpollIoHandler.class);
        return new Bootstrap()
                .group(group)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                // requests are flushed whole; Nagle would only add latency to each round trip
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(initializer);
    }

    /** A short cause for a failed connection attempt, for the problems of a report. */
    static String connectFailure(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        String detail = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        return "connect failed: " + detail;
    }
}
