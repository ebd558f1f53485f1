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
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.optline.core.admission.AdmissionPipeline;
import org.optline.core.admission.AdmissionQueue;
import org.optline.core.business.Business;
import org.optline.core.business.BusinessDirectory;
import org.optline.core.campaign.CampaignScheduler;
import org.optline.core.campaign.CampaignService;
import org.optline.core.classify.Classifier;
import org.optline.core.consent.CachedConsentStore;
import org.optline.core.consent.ConsentRequests;
import org.optline.core.consent.ConsentService;
import org.optline.core.delivery.DeliveryListener;
import org.optline.core.delivery.DeliverySweeper;
import org.optline.core.erasure.ErasureService;
import org.optline.core.idempotency.IdempotencyWindow;
import org.optline.core.inbox.InboxService;
import org.optline.core.limit.AntiSpamLimits;
import org.optline.core.limit.MarketingBudgets;
import org.optline.core.quality.BusinessStandings;
import org.optline.core.quality.FeedbackService;
import org.optline.core.quality.QualityService;
import org.optline.core.status.MessageStatusService;
import org.optline.core.storage.BackupService;
import org.optline.core.storage.StorageEngine;
import org.optline.core.storage.StorageHealth;
import org.optline.core.storage.StorageException;
import org.optline.core.storage.StoreExecutor;
import org.optline.core.storage.memory.InMemoryStorageEngine;
import org.optline.core.submission.SubmissionService;
import org.optline.core.template.RegisteredTemplate;
import org.optline.core.template.TemplateRegistry;
import org.optline.core.template.TemplateReview;
import org.optline.core.template.TemplateService;
import org.optline.core.webhook.WebhookDispatcher;
import org.optline.core.webhook.WebhookService;
import org.optline.storage.rocksdb.RocksStorageEngine;
import org.optline.server.config.ConfigException;
import org.optline.server.config.GatewayConfig;
import org.optline.server.guard.AuthenticationFailures;
import org.optline.server.guard.ConnectionLimits;
import org.optline.server.guard.GuardMetrics;
import org.optline.server.guard.Listener;
import org.optline.server.guard.Guards;
import org.optline.server.guard.UnauthenticatedBytes;
import org.optline.server.guard.UnexpectedErrors;
import org.optline.server.http.HttpServerInitializer;
import org.optline.server.tls.TlsContexts;
import org.optline.server.metrics.CampaignMetrics;
import org.optline.server.metrics.MicrometerAdmissionListener;
import org.optline.server.metrics.MicrometerDeliveryListener;
import org.optline.server.webhook.NettyWebhookClient;
import org.optline.server.metrics.MicrometerStorageHealth;
import org.optline.server.tcp.TcpServerInitializer;
import org.optline.server.webhook.NettyWebhookClient;
import org.optline.storage.kafka.KafkaStorageEngine;
import org.optline.storage.rocksdb.RocksStorageEngine;
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
    /** One backup at a time, on a thread of its own: a large store takes seconds to copy and check. */
    private final java.util.concurrent.ExecutorService backupExecutor;
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
    private final StorageEngine engine;
    private final AdmissionPipeline admission;
    private final InboxService inbox;
    private final DeliverySweeper sweeper;
    private final NettyWebhookClient webhookClient;
    private ScheduledFuture<?> ticks;
    private final CampaignScheduler campaignScheduler;
    private final ThreadPoolExecutor campaignImports;
    private final ThreadPoolExecutor uploadDisk;
    private final Path spoolDirectory;
    /** Uploads waiting for the import thread before the API answers 503: imports are long, a few may queue. */
    private static final int IMPORT_QUEUE_CAPACITY = 16;
    /** Chunk writes waiting for the upload thread; each connection has at most one under way. */
    private static final int UPLOAD_QUEUE_CAPACITY = 4_096;
    private final BusinessStandings standings;
    private final AntiSpamLimits limits;
    private final QualityService quality;
    private final StoreExecutor standingWork;
    private ScheduledFuture<?> standingTicks;
    private boolean closed;

    /** A node on the in-memory engine: consents, queues and idempotency are lost when it stops. */
    public static Gateway inMemory(GatewayConfig config, InstantSource clock) {
        return new Gateway(config, clock, new InMemoryStorageEngine());
    }

    /**
     * A node on the durable engine in {@code <data dir>/store}: ACCEPTED only after fsync. The
     * engine is closed when the node is, after the in-flight work has drained.
     */
    public static Gateway durable(GatewayConfig config, InstantSource clock) {
        Path keys = config.keysDir().toAbsolutePath().normalize();
        if (keys.startsWith(config.dataDir().toAbsolutePath().normalize())) {
            log.warn("keys.dir {} is inside data.dir: a copy of the data directory then carries the secret that"
                    + " opens the recipients' numbers; keep it elsewhere (docs/operations.md, \"Recipients at rest\")",
                    keys);
        }
        return new Gateway(config, clock, RocksStorageEngine.open(config.dataDir().resolve(STORE_DIRECTORY),
                config.keysDir(), clock, config.idempotencyWindow()));
    }

    /**
     * A node on Apache Kafka ({@code storage=kafka}): ACCEPTED once Kafka has the message on
     * {@code min.insync.replicas} brokers; the node shares its state with every node on the same
     * topics. The engine is closed when the node is.
     */
    public static Gateway kafka(GatewayConfig config, InstantSource clock) {
        return new Gateway(config, clock, KafkaStorageEngine.open(config.kafka(), config.keysDir(), clock,
                config.idempotencyWindow(), config.antiSpam()));
    }

    /** The engine chosen by {@code storage}: RocksDB, Kafka, or the heap. */
    public static Gateway of(GatewayConfig config, InstantSource clock) {
        return switch (config.storage()) {
            case ROCKSDB -> durable(config, clock);
            case KAFKA -> kafka(config, clock);
            case MEMORY -> inMemory(config, clock);
        };
    }

    /**
     * How often the limits and quality do their periodic work (at least; longer with a longer
     * delivery tick). Admission never waits for it: a contact leaves a window and a pause ends
     * exactly when admission looks, whatever the tick; the tick reclaims idle businesses' windows,
     * records ended pauses and looks at ratings and upgrades, for which a second is fine enough,
     * and it stays off the store threads that a fast delivery tick keeps busy.
     */
    static final Duration STANDING_TICK = Duration.ofSeconds(1);

    /** The store's directory inside the data directory. */
    public static final String STORE_DIRECTORY = "store";

    /**
     * A node on the given storage engine, which it closes last when it closes. Builds the
     * services from the engine inward (cache, admission) and outward (the listeners' context).
     */
    public Gateway(GatewayConfig config, InstantSource clock, StorageEngine engine) {
        this.config = config;
        this.engine = engine;
        // First, before any thread is started: a configured template refused by its review stops the start.
        Classifier classifier = new Classifier();
        TemplateReview review = new TemplateReview(classifier);
        TemplateRegistry templates = templateRegistry(config, engine, review, clock);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Guards guards = guards(config, clock, registry);
        TlsContexts tls;
        try {
            tls = TlsContexts.of(config.tls(), guards.metrics());
        } catch (RuntimeException e) {
            // Nothing else was started: release the store so that the process ends cleanly.
            engine.close();
            throw e;
        }
        tls.bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);

        this.workers = new ThreadPoolExecutor(config.admissionWorkers(), config.admissionWorkers(), 0,
                TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(config.admissionQueueCapacity()),
                namedThreads("optline-admission"), new ThreadPoolExecutor.AbortPolicy());
        AdmissionQueue admissionQueue = new AdmissionQueue(workers, config.admissionMaxWait(),
                config.admission().maxBatchSize());
        Gauge.builder("optline.admission.queued", admissionQueue, AdmissionQueue::queued)
                .description("Submissions waiting for an admission thread").register(registry);
        Gauge.builder("optline.admission.oldest.wait", admissionQueue, q -> q.oldestWait().toNanos() / 1e9)
                .baseUnit("seconds")
                .description("How long the oldest submission waiting for an admission thread has waited")
                .register(registry);
        this.storeExecutor = new ThreadPoolExecutor(STORE_THREADS, STORE_THREADS, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(STORE_QUEUE_CAPACITY), namedThreads("optline-store-io"),
                new ThreadPoolExecutor.AbortPolicy());
        StoreExecutor store = new StoreExecutor(storeExecutor);

        CachedConsentStore consents = new CachedConsentStore(engine.consents(), config.consentCacheEntries(),
                engine.consentChanges());
        CaffeineCacheMetrics.monitor(registry, consents.cache(), "consent");
        BusinessDirectory directory = new BusinessDirectory(config.businesses(), config.platformKeys(), clock);
        // Content trust: standings (tier earned, pauses) and the anti-spam windows come from the
        // engine, templates from the configuration (reviewed) and the engine. Read once, here.
        this.standings = new BusinessStandings(engine.quality().standings().join());
        this.limits = new AntiSpamLimits(config.antiSpam(), clock, engine.limits(), standings);
        limits.track(config.businesses().stream().filter(b -> !standings.tier(b).isUnlimited())
                .map(Business::id).toList());
        this.admission = new AdmissionPipeline(config.admission(), config.delivery(), clock, consents,
                engine.deliveryLog(),
                new IdempotencyWindow(clock, config.idempotencyWindow(), config.idempotencyEntries(),
                        engine.idempotency()),
                limits, classifier, templates, admissionQueue, new MicrometerAdmissionListener(registry), engine::nodes);
        this.quality = new QualityService(config.quality(), standings, limits, engine.quality(), directory, store,
                clock, engine.erasureSecret());
        Gauge.builder("optline.queue.pending.appends", admission, AdmissionPipeline::pendingAppends)
                .description("Messages handed to the delivery log and not yet safe").register(registry);

        IoHandlerFactory io = Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.bossGroup = new MultiThreadIoEventLoopGroup(1, namedThreads("optline-accept"), io);
        this.workerGroup = new MultiThreadIoEventLoopGroup(0, namedThreads("optline-io"), io);

        // The delivery side: metrics and the webhook dispatcher hear every transition.
        MicrometerDeliveryListener deliveryMetrics = new MicrometerDeliveryListener(registry);
        this.webhookClient = Epoll.isAvailable()
                ? new NettyWebhookClient(workerGroup, EpollSocketChannel.class, EpollDatagramChannel.class, clock,
                        config.webhooks().timeout())
                : new NettyWebhookClient(workerGroup, NioSocketChannel.class, NioDatagramChannel.class, clock,
                        config.webhooks().timeout());
        WebhookDispatcher dispatcher = new WebhookDispatcher(engine.webhooks(), webhookClient,
                store, clock, config.webhooks(), deliveryMetrics, () -> ThreadLocalRandom.current().nextDouble());
        // Reads reported through the inbox are positive signals of their business's quality.
        DeliveryListener delivery = DeliveryListener.both(DeliveryListener.both(deliveryMetrics, dispatcher),
                quality.readsAsPositive());
        this.inbox = new InboxService(engine.inbox(), engine.arrivals(), store, clock, config.delivery(), delivery);
        this.sweeper = new DeliverySweeper(engine.inbox(), engine.history(), inbox, dispatcher, store, clock,
                config.delivery(), delivery, config.deliveryTick());
        Gauge.builder("optline.push.subscribers", inbox, InboxService::subscriptions)
                .description("Open push subscriptions (WebSockets)").register(registry);
        Gauge.builder("optline.inbox.waiting", inbox, InboxService::waitingCount)
                .description("Push subscriptions and long-polls waiting for messages").register(registry);
        // Bound first: a store found damaged while it opened is logged now, before the listeners bind.
        StorageHealth health = engine.health();
        MicrometerStorageHealth.bind(health, registry);
        this.backupExecutor = java.util.concurrent.Executors.newSingleThreadExecutor(namedThreads("optline-backup"));

        Lifecycle lifecycle = new Lifecycle(health);
        ConsentRequests requests = new ConsentRequests(consents, engine.consentRequests(), clock,
                config.consentRequestWindow(), config.consentRequestCoolDown());
        // A block recorded through the consent API (or reported as feedback) is a complaint about the business.
        ConsentService consentService = new ConsentService(consents, requests, directory, store, clock,
                quality::blocked);
        SubmissionService submissions = new SubmissionService(admission, lifecycle::isReady);
        // Campaigns submit through the same service as every transport, on their own thread and clock.
        this.campaignScheduler = new CampaignScheduler(engine.campaigns(), submissions, directory::byId, clock,
                config.campaigns(), engine.erasureSecret(), new CampaignMetrics(registry),
                Executors.newSingleThreadScheduledExecutor(namedThreads("optline-campaigns")));
        this.campaignImports = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(IMPORT_QUEUE_CAPACITY), namedThreads("optline-campaign-import"),
                new ThreadPoolExecutor.AbortPolicy());
        this.uploadDisk = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(UPLOAD_QUEUE_CAPACITY), namedThreads("optline-upload-io"),
                new ThreadPoolExecutor.AbortPolicy());
        this.spoolDirectory = spoolDirectory(config);
        this.server = new ServerContext(config, clock, directory,
                submissions,
                consentService,
                inbox,
                new ErasureService(consents, engine.consentRequests(), engine.inbox(), admission,
                        engine.erasureSecret(), store, clock),
                new MessageStatusService(engine.history(), admission::firstOutcome, store),
                new WebhookService(engine.webhooks(), dispatcher, store, clock, config.webhooks()),
                new BackupService(engine, config.backupDir(), backupExecutor, clock),
                new CampaignService(engine.campaigns(), campaignScheduler, store, campaignImports, clock,
                        config.campaigns(), config.admission(), templates),
                new Uploads(spoolDirectory, uploadDisk),
                new TemplateService(templates, engine.templates(), review, store, clock,
                        config.admission().maxTextLength()),
                quality,
                new FeedbackService(engine.history(), consentService, quality, store),
                new MarketingBudgets(limits, store),
                lifecycle, registry, guards, tls);
        this.standingWork = store;
        Gauge.builder("optline.connections", httpConnections, ChannelGroup::size).tag("listener", "http")
                .description("Open client connections").register(registry);
        Gauge.builder("optline.connections", tcpConnections, ChannelGroup::size).tag("listener", "tcp")
                .description("Open client connections").register(registry);
        Gauge.builder("optline.requests.in.flight", server.lifecycle(), Lifecycle::inFlight)
                .description("Requests taken on and not yet answered").register(registry);
    }

    private static Guards guards(GatewayConfig config, InstantSource clock, PrometheusMeterRegistry registry) {
        UnauthenticatedBytes tcpUnauthenticated = new UnauthenticatedBytes(config.tcpUnauthenticatedMemory());
        Gauge.builder("optline.tcp.unauthenticated.buffered", tcpUnauthenticated, UnauthenticatedBytes::held)
                .description("Bytes of incomplete frames held for TCP connections not yet authenticated")
                .baseUnit("bytes").register(registry);
        GuardMetrics metrics = new GuardMetrics(registry);
        return new Guards(tcpUnauthenticated, Map.of(
                Listener.HTTP, new ConnectionLimits(Listener.HTTP, config.httpMaxConnections(),
                        config.httpMaxConnectionsPerAddress(), metrics),
                Listener.TCP, new ConnectionLimits(Listener.TCP, config.tcpMaxConnections(),
                        config.tcpMaxConnectionsPerAddress(), metrics)),
                new AuthenticationFailures(config.authMaxFailures(), config.authFailureWindow(),
                        config.authTrackedAddresses(), clock, metrics),
                metrics, new UnexpectedErrors());
    }

    /** Binds both listeners; the node is ready when this returns. */
    public Gateway start() throws InterruptedException {
        httpListener = bind(config.httpHost(), config.httpPort(), new HttpServerInitializer(server, httpConnections));
        tcpListener = bind(config.tcpHost(), config.tcpPort(), new TcpServerInitializer(server, tcpConnections));
        long tick = config.deliveryTick().toMillis();
        ticks = workerGroup.next().scheduleAtFixedRate(sweeper::tick, tick, tick, TimeUnit.MILLISECONDS);
        warnIfFileDescriptorsAreShort();
        long standingTick = Math.max(tick, STANDING_TICK.toMillis());
        standingTicks = workerGroup.next().scheduleAtFixedRate(this::tickStandings, standingTick, standingTick,
                TimeUnit.MILLISECONDS);
        server.lifecycle().markReady();
        // After readiness: campaigns resumed now find admission open.
        campaignScheduler.start();
        String transport = Epoll.isAvailable() ? "epoll" : "nio";
        var notReady = server.lifecycle().notReadyBecause();
        if (notReady.isPresent()) {
            // Up, so that health, metrics and the intact data can be read; not ready, so that no
            // load balancer sends it work.
            log.error("Optline gateway started but NOT READY ({}): HTTP on {}:{}, TCP on {}:{} ({} transport); see"
                            + " the storage fault above", notReady.get(), config.httpHost(), httpPort(),
                    config.tcpHost(), tcpPort(), transport);
        } else {
            log.info("Optline gateway ready: HTTP on {}:{}, TCP on {}:{} ({} transport)", config.httpHost(),
                    httpPort(), config.tcpHost(), tcpPort(), transport);
        }
        return this;
    }

    /** Files the node opens besides its connections: the store's files, jars, epoll, logs. */
    private static final long FILES_BESIDES_CONNECTIONS = 1_024;

    /**
     * One line at start when the process may open fewer files than the connection caps allow
     * connections: at that limit both listeners would stop accepting, honest clients included.
     */
    private void warnIfFileDescriptorsAreShort() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os) {
            long limit = os.getMaxFileDescriptorCount();
            long needed = (long) config.httpMaxConnections() + config.tcpMaxConnections() + FILES_BESIDES_CONNECTIONS;
            if (limit < needed) {
                log.warn("the process may open {} files (ulimit -n) but http.max-connections and tcp.max-connections"
                        + " allow {} connections, plus about {} other files: raise ulimit -n to at least {} or lower"
                        + " the caps (docs/operations.md)", limit, needed - FILES_BESIDES_CONNECTIONS,
                        FILES_BESIDES_CONNECTIONS, needed);
            }
        }
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

    /**
     * Runs the periodic work now, as a tick would: the delivery side's (expiries, retention, webhook
     * retries) and the standings' (contacts leaving the anti-spam windows, ratings, pauses that
     * ended, tier upgrades, old records forgotten).
     */
    public CompletableFuture<Void> tick() {
        return CompletableFuture.allOf(sweeper.tick(), tickStandings());
    }

    /** The limits' and the quality's periodic work, on a store thread; a failure is retried at the next tick. */
    private CompletableFuture<Void> tickStandings() {
        CompletableFuture<Void> done = standingWork.call(() -> limits.tick().thenCompose(swept -> quality.tick()))
                .thenApply(forgotten -> null);
        return done.exceptionally(failure -> {
            log.warn("periodic standing work failed; it runs again at the next tick: {}", failure.toString());
            return null;
        });
    }

    /** The campaign scheduler, for tests that move a fake clock and then run what became due. */
    public CampaignScheduler campaignScheduler() {
        return campaignScheduler;
    }

    /** Messages handed to the delivery log and not yet safe; zero once in-flight work has drained. */
    public int pendingAppends() {
        return admission.pendingAppends();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        log.info("Optline gateway shutting down: readiness off, listeners closing, draining in-flight work");
        server.lifecycle().beginDrain();
        if (ticks != null) {
            ticks.cancel(false);
        }
        if (standingTicks != null) {
            standingTicks.cancel(false);
        }
        // Long-polls answer now (empty) rather than hold the drain for their wait.
        inbox.drain();
        if (httpListener != null) {
            httpListener.close().syncUninterruptibly();
        }
        if (tcpListener != null) {
            tcpListener.close().syncUninterruptibly();
        }
        awaitDrained(config.shutdownGracePeriod());
        // Readiness is off: steps under way get "not ready" and store their members as waiting.
        campaignScheduler.close();
        campaignImports.shutdown();
        tcpConnections.writeAndFlush(TcpServerInitializer.shutdownNotice())
                .awaitUninterruptibly(1, TimeUnit.SECONDS);
        httpConnections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        tcpConnections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        webhookClient.close();
        bossGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workerGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdown();
        storeExecutor.shutdown();
        backupExecutor.shutdown();
        uploadDisk.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
            storeExecutor.awaitTermination(5, TimeUnit.SECONDS);
            // A backup under way finishes first: the engine waits for it anyway before it closes.
            backupExecutor.awaitTermination(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.tls().close();
        server.registry().close();
        try {
            campaignImports.awaitTermination(5, TimeUnit.SECONDS);
            uploadDisk.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (config.storage() == GatewayConfig.Storage.MEMORY) {
            deleteSpool(spoolDirectory, true);
        }
        try {
            engine.close();
        } catch (RuntimeException e) {
            log.error("closing the storage engine failed", e);
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
     * Where uploads are spooled: {@code <data dir>/uploads} with the durable store; a temporary
     * directory in memory mode, which keeps nothing on disk it would not remove. Spool files left by
     * a crash were never answered (the client retries), so they are removed now.
     */
    private static Path spoolDirectory(GatewayConfig config) {
        try {
            if (config.storage() == GatewayConfig.Storage.MEMORY) {
                return Files.createTempDirectory("optline-uploads");
            }
            Path directory = config.dataDir().resolve("uploads");
            Files.createDirectories(directory);
            deleteSpool(directory, false);
            return directory;
        } catch (IOException e) {
            throw new StorageException("cannot make the upload directory in "
                    + config.dataDir() + ": " + e.getMessage(), e);
        }
    }

    private static void deleteSpool(Path directory, boolean andDirectory) {
        try (var files = Files.newDirectoryStream(directory, "audience-*.upload")) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            log.warn("cannot empty the upload directory {}: {}", directory, e.getMessage());
        }
        try {
            if (andDirectory) {
                Files.deleteIfExists(directory);
            }
        } catch (IOException e) {
            log.warn("cannot empty the upload directory {}: {}", directory, e.getMessage());
        }
    }

    /**
     * The template registry of a node that starts: the configuration's templates, reviewed, and the
     * engine's. A configured template whose wording reads as spam stops the start, naming its key.
     */
    private static TemplateRegistry templateRegistry(GatewayConfig config, StorageEngine engine, TemplateReview review,
                                                     InstantSource clock) {
        try {
            TemplateRegistry registry = TemplateRegistry.load(config.businesses(), engine.templates().all().join(),
                    review, clock.instant());
            for (Business business : config.businesses()) {
                for (RegisteredTemplate template : registry.list(business.id())) {
                    if (template.source() == RegisteredTemplate.Source.CONFIGURATION && template.reclassified()) {
                        log.warn("template {} of business {} is registered as {}, not {} as configured: {}",
                                template.name(), business.id(), template.category(), template.declared(),
                                template.review());
                    }
                }
            }
            return registry;
        } catch (TemplateRegistry.RefusedTemplate refused) {
            engine.close();
            throw new ConfigException("business." + refused.businessId() + ".template." + refused.name() + ".text",
                    refused.getMessage() + "; a gateway does not start with a template it would refuse");
        }
    }

    /**
     * Netty's thread factory makes FastThreadLocalThreads: Netty's buffers, its recycler and
     * its thread-locals take their fast path on them, and on plain threads a slower lookup.
     */
    private static ThreadFactory namedThreads(String prefix) {
        return new DefaultThreadFactory(prefix, false);
    }
}
