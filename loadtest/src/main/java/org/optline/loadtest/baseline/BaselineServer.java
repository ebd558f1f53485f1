package org.optline.loadtest.baseline;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bare Netty server that speaks the gateway's binary TCP protocol and its HTTP submit API,
 * as far as the load-test client uses them, and acknowledges every message ACCEPTED after
 * decoding it, with no admission work. Run the same load test against it and against a gateway
 * on the same machine, and the gateway's figures read as a ratio to what Netty alone achieves.
 *
 * <p>Its transport, accept thread and default number of I/O threads are the gateway's, and
 * so are its limits: the frame and body sizes, and the batch size and in-flight window it
 * advertises to TCP clients (1,000 messages a request, 256 requests in flight).
 */
public final class BaselineServer implements AutoCloseable {
    /** Asks Netty for its default number of I/O threads, as the gateway does. */
    private static final int NETTY_DEFAULT_THREADS = 0;
    /** The gateway's accept backlog: a burst of connecting clients waits instead of being refused. */
    private static final int ACCEPT_BACKLOG = 1024;
    /** Connections close in milliseconds; past this something is stuck and the threads go anyway. */
    private static final long SHUTDOWN_TIMEOUT_SECONDS = 5;

    private final EventLoopGroup acceptGroup;
    private final EventLoopGroup ioGroup;
    private final Channel tcpListener;
    private final Channel httpListener;
    private boolean closed;

    private BaselineServer(EventLoopGroup acceptGroup, EventLoopGroup ioGroup, Channel tcpListener,
                           Channel httpListener) {
        this.acceptGroup = acceptGroup;
        this.ioGroup = ioGroup;
        this.tcpListener = tcpListener;
        this.httpListener = httpListener;
    }

    /**
     * Binds both listeners on {@code host} with Netty's default number of I/O threads, as the
     * gateway has (twice the available processors, or {@code -Dio.netty.eventLoopThreads}); the
     * server answers when this returns. A port of 0 takes any free port.
     *
     * @throws IllegalStateException when a listener cannot be bound
     */
    public static BaselineServer start(String host, int tcpPort, int httpPort) {
        return start(host, tcpPort, httpPort, NETTY_DEFAULT_THREADS);
    }

    /**
     * Binds both listeners on {@code host} with {@code ioThreads} I/O threads, 0 meaning Netty's
     * default; for measuring how the baseline scales with threads.
     *
     * @throws IllegalStateException when a listener cannot be bound
     */
    public static BaselineServer start(String host, int tcpPort, int httpPort, int ioThreads) {
        if (ioThreads < 0) {
            throw new IllegalArgumentException("ioThreads must be 0 (Netty's default) or more: " + ioThreads);
        }
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class
                : NioServerSocketChannel.class;
        EventLoopGroup acceptGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("baseline-accept"), io);
        EventLoopGroup ioGroup = new MultiThreadIoEventLoopGroup(ioThreads, new DefaultThreadFactory("baseline-io"), io);
        AtomicInteger connections = new AtomicInteger();
        try {
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(acceptGroup, ioGroup)
                    .channel(channelType)
                    .option(ChannelOption.SO_BACKLOG, ACCEPT_BACKLOG)
                    .childOption(ChannelOption.TCP_NODELAY, true);
            Channel tcpListener = bind(bootstrap, host, tcpPort, new TcpBaselineInitializer(connections));
            Channel httpListener = bind(bootstrap, host, httpPort, new HttpBaselineInitializer(connections));
            return new BaselineServer(acceptGroup, ioGroup, tcpListener, httpListener);
        } catch (RuntimeException e) {
            shutDown(acceptGroup, ioGroup);
            throw e;
        }
    }

    private static Channel bind(ServerBootstrap bootstrap, String host, int port,
                                ChannelInitializer<SocketChannel> initializer) {
        ChannelFuture bound = bootstrap.clone().childHandler(initializer)
                .bind(new InetSocketAddress(host, port))
                .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IllegalStateException("cannot listen on " + host + ":" + port, bound.cause());
        }
        return bound.channel();
    }

    /** The port of the binary-protocol listener. */
    public int tcpPort() {
        return ((InetSocketAddress) tcpListener.localAddress()).getPort();
    }

    /** The port of the HTTP listener. */
    public int httpPort() {
        return ((InetSocketAddress) httpListener.localAddress()).getPort();
    }

    /**
     * Stops accepting, closes every connection and waits for the threads to stop. Nothing is
     * in flight to drain: every request is answered while it is read.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        tcpListener.close().syncUninterruptibly();
        httpListener.close().syncUninterruptibly();
        shutDown(acceptGroup, ioGroup);
    }

    private static void shutDown(EventLoopGroup acceptGroup, EventLoopGroup ioGroup) {
        acceptGroup.shutdownGracefully(0, SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        ioGroup.shutdownGracefully(0, SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        acceptGroup.terminationFuture().syncUninterruptibly();
        ioGroup.terminationFuture().syncUninterruptibly();
    }
}
