package org.optline.server;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.optline.core.admission.AdmissionPipeline;
import org.optline.core.business.BusinessDirectory;
import org.optline.core.classify.Classifier;
import org.optline.core.consent.CachedConsentStore;
import org.optline.core.consent.ConsentRequestStore;
import org.optline.core.consent.ConsentRequests;
import org.optline.core.consent.ConsentStore;
import org.optline.core.consent.InMemoryConsentRequestStore;
import org.optline.core.consent.InMemoryConsentStore;
import org.optline.core.idempotency.IdempotencyRecords;
import org.optline.core.idempotency.IdempotencyWindow;
import org.optline.core.limit.AntiSpamLimits;
import org.optline.core.queue.DeliveryQueues;
import org.optline.core.queue.InMemoryDeliveryQueues;
import org.optline.core.store.RocksConsentRequestStore;
import org.optline.core.store.RocksConsentStore;
import org.optline.core.store.RocksDeliveryQueues;
import org.optline.core.store.RocksIdempotencyRecords;
import org.optline.core.store.RocksStorage;
import org.optline.server.config.GatewayConfig;
import org.optline.server.http.HttpServerInitializer;
import org.optline.server.metrics.MicrometerAdmissionListener;
import org.optline.server.tcp.TcpServerInitializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gateway node: the core services wired to the two listeners (HTTP and binary TCP) on Netty.
 * {@link #start()} binds both; {@link #close()} shuts down gracefully: readiness turns 503,
 * the listeners stop accepting, in-flight work completes (up to the grace period), and only
 * then are connections closed and threads stopped.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private final GatewayConfig config;
    private final ServerContext server;
    private final ThreadPoolExecutor workers;
    private final ThreadPoolExecutor storeExecutor;
    /** Consent changes and reads are few and short: two threads keep one slow read from blocking the next. */
    private static final int STORE_THREADS = 2;
    /** Waiting store operations before the API answers 503. */
    private static final int STORE_QUEUE_CAPACITY = 1_024;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final ChannelGroup httpConnections = new DefaultChannelGroup("http", GlobalEventExecutor.INSTANCE);
    private final ChannelGroup tcpConnections = new DefaultChannelGroup("tcp", GlobalEventExecutor.INSTANCE);
    private Channel httpListener;
    private Channel tcpListener;
    private final AutoCloseable storage;
    private boolean closed;

    /** A node on in-memory stores: consents, queues and idempotency are lost when it stops. */
    public static Gateway inMemory(GatewayConfig config, InstantSource clock) {
        byte[] erasureSecret = new byte[32];
        new java.security.SecureRandom().nextBytes(erasureSecret);
        return new Gateway(config, clock, new InMemoryConsentStore(), new InMemoryConsentRequestStore(),
                new InMemoryDeliveryQueues(), IdempotencyRecords.NONE, erasureSecret, null);
    }

    /**
     * A node on the durable store in {@code <data dir>/store}: ACCEPTED only after fsync. The
     * store is closed when the node is, after the in-flight work has drained.
     */
    public static Gateway durable(GatewayConfig config, InstantSource clock) {
        RocksStorage storage = RocksStorage.open(config.dataDir().resolve(STORE_DIRECTORY));
        return new Gateway(config, clock, new RocksConsentStore(storage), new RocksConsentRequestStore(storage),
                new RocksDeliveryQueues(storage), new RocksIdempotencyRecords(storage, clock, config.idempotencyWindow()),
                storage.erasureSecret(), storage);
    }

    /** The store's directory inside the data directory. */
    public static final String STORE_DIRECTORY = "store";

    /**
     * A node on the given stores.
     *
     * @param storage closed last when the node closes; null when the stores own nothing to close
     */
    public Gateway(GatewayConfig config, InstantSource clock, ConsentStore consentStore,
                   ConsentRequestStore requestStore, DeliveryQueues queues, IdempotencyRecords idempotencyRecords,
                   byte[] erasureSecret, AutoCloseable storage) {
        this.config = config;
        this.storage = storage;
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);

        this.workers = new ThreadPoolExecutor(config.admissionWorkers(), config.admissionWorkers(), 0,
                TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(config.admissionQueueCapacity()),
                namedThreads("optline-admission"), new ThreadPoolExecutor.AbortPolicy());
        Gauge.builder("optline.admission.queued", workers, w -> w.getQueue().size())
                .description("Submissions waiting for an admission thread").register(registry);

        CachedConsentStore consents = new CachedConsentStore(consentStore, config.consentCacheEntries());
        CaffeineCacheMetrics.monitor(registry, consents.cache(), "consent");
        AdmissionPipeline admission = new AdmissionPipeline(config.admission(), clock, consents, queues,
                new IdempotencyWindow(clock, config.idempotencyWindow(), config.idempotencyEntries(),
                        idempotencyRecords),
                new AntiSpamLimits(config.antiSpam(), clock), new Classifier(), workers,
                new MicrometerAdmissionListener(registry));
        Gauge.builder("optline.queue.pending.appends", admission, AdmissionPipeline::pendingAppends)
                .description("Messages handed to the delivery queues and not yet safe").register(registry);

        this.storeExecutor = new ThreadPoolExecutor(STORE_THREADS, STORE_THREADS, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(STORE_QUEUE_CAPACITY), namedThreads("optline-store-io"),
                new ThreadPoolExecutor.AbortPolicy());
        this.server = new ServerContext(config, clock, new BusinessDirectory(config.businesses(),
                config.platformCredential()), admission, consents,
                new ConsentRequests(consents, requestStore, clock, config.consentRequestWindow(),
                        config.consentRequestCoolDown()),
                queues, storeExecutor, new Lifecycle(), erasureSecret.clone(), registry);
        Gauge.builder("optline.connections", httpConnections, ChannelGroup::size).tag("listener", "http")
                .description("Open client connections").register(registry);
        Gauge.builder("optline.connections", tcpConnections, ChannelGroup::size).tag("listener", "tcp")
                .description("Open client connections").register(registry);
        Gauge.builder("optline.requests.in.flight", server.lifecycle(), Lifecycle::inFlight)
                .description("Requests taken on and not yet answered").register(registry);

        IoHandlerFactory io = Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.bossGroup = new MultiThreadIoEventLoopGroup(1, namedThreads("optline-accept"), io);
        this.workerGroup = new MultiThreadIoEventLoopGroup(0, namedThreads("optline-io"), io);
    }

    /** Binds both listeners; the node is ready when this returns. */
    public Gateway start() throws InterruptedException {
        httpListener = bind(config.httpHost(), config.httpPort(), new HttpServerInitializer(server, httpConnections));
        tcpListener = bind(config.tcpHost(), config.tcpPort(), new TcpServerInitializer(server, tcpConnections));
        server.lifecycle().markReady();
        log.info("Optline gateway ready: HTTP on {}:{}, TCP on {}:{} ({} transport)", config.httpHost(), httpPort(),
                config.tcpHost(), tcpPort(), Epoll.isAvailable() ? "epoll" : "nio");
        return this;
    }

    private Channel bind(String host, int port, ChannelInitializer<SocketChannel> initializer)
            throws InterruptedException {
        Class<? extends ServerChannel> channelType = Epoll.isAvailable()
                ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        return new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(initializer)
                .bind(new InetSocketAddress(host, port))
                .sync()
                .channel();
    }

    public int httpPort() {
        return ((InetSocketAddress) httpListener.localAddress()).getPort();
    }

    public int tcpPort() {
        return ((InetSocketAddress) tcpListener.localAddress()).getPort();
    }

    public ServerContext context() {
        return server;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        log.info("Optline gateway shutting down: readiness off, listeners closing, draining in-flight work");
        server.lifecycle().beginDrain();
        if (httpListener != null) {
            httpListener.close().syncUninterruptibly();
        }
        if (tcpListener != null) {
            tcpListener.close().syncUninterruptibly();
        }
        awaitDrained(config.shutdownGracePeriod());
        tcpConnections.writeAndFlush(TcpServerInitializer.shutdownNotice())
                .awaitUninterruptibly(1, TimeUnit.SECONDS);
        httpConnections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        tcpConnections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        bossGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workerGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdown();
        storeExecutor.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
            storeExecutor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.registry().close();
        if (storage != null) {
            try {
                storage.close();
            } catch (Exception e) {
                log.error("closing the store failed", e);
            }
        }
        log.info("Optline gateway stopped");
    }

    private void awaitDrained(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        while (server.lifecycle().inFlight() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (server.lifecycle().inFlight() > 0) {
            log.warn("grace period over with {} requests still in flight", server.lifecycle().inFlight());
        }
    }

    /**
     * Netty's thread factory makes FastThreadLocalThreads: Netty's buffers, its recycler and
     * its thread-locals take their fast path on them, and on plain threads a slower lookup.
     */
    private static java.util.concurrent.ThreadFactory namedThreads(String prefix) {
        return new DefaultThreadFactory(prefix, false);
    }
}
