package org.optline.server.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.optline.core.campaign.CampaignStore;
import org.optline.core.consent.ConsentChangeFeed;
import org.optline.core.consent.ConsentRequestStore;
import org.optline.core.consent.ConsentStore;
import org.optline.core.delivery.MessageHistory;
import org.optline.core.idempotency.IdempotencyRecords;
import org.optline.core.inbox.Arrivals;
import org.optline.core.inbox.Inbox;
import org.optline.core.limit.LimitStore;
import org.optline.core.quality.QualityStore;
import org.optline.core.queue.DeliveryLog;
import org.optline.core.template.TemplateStore;
import org.optline.core.storage.StorageEngine;
import org.optline.core.storage.memory.InMemoryDeliveryQueues;
import org.optline.core.storage.memory.InMemoryStorageEngine;
import org.optline.core.testing.MutableClock;
import org.optline.core.webhook.WebhookStore;
import org.optline.server.Gateway;
import org.optline.server.config.GatewayConfig;

/**
 * Starts a real gateway on loopback, on free ports, once per test class, and stops it after.
 * The gateway runs on a {@link MutableClock}, so tests move time instead of waiting for it.
 * Register it as a static field with {@code @RegisterExtension}.
 */
public final class GatewayExtension implements BeforeAllCallback, AfterAllCallback {
    private final Consumer<GatewayConfig.Builder> customizer;
    private final DeliveryLog log;
    private final Inbox queues;
    private final InMemoryDeliveryQueues records;
    private final MutableClock clock = new MutableClock();
    private Gateway gateway;

    public GatewayExtension() {
        this(b -> {}, new InMemoryDeliveryQueues());
    }

    /** A gateway in memory, configured as the test says. */
    public GatewayExtension(Consumer<GatewayConfig.Builder> customizer) {
        this(customizer, new InMemoryDeliveryQueues());
    }

    /**
     * A gateway in memory whose delivery queues, both log and inbox, are {@code queues}. Statuses,
     * webhooks and arrivals come from {@code queues} when it is the in-memory engine's own, and
     * from a separate one otherwise (tests of admission alone).
     */
    public <Q extends DeliveryLog & Inbox> GatewayExtension(Consumer<GatewayConfig.Builder> customizer, Q queues) {
        this.customizer = customizer;
        this.log = queues;
        this.queues = queues;
        this.records = queues instanceof InMemoryDeliveryQueues own ? own : new InMemoryDeliveryQueues();
    }

    /**
     * A configuration on loopback, on free ports, with the test businesses. Every test client
     * comes from 127.0.0.1 and many present wrong keys on purpose, so failed authentications do
     * not block the address here; the tests of that limit set it themselves. Likewise a burst of
     * pipelined requests into a cold JVM on a busy build machine may wait longer for an admission
     * thread than a warm node's bound allows; the tests of that bound set it themselves.
     */
    public static GatewayConfig.Builder testConfig() {
        GatewayConfig.Builder builder = GatewayConfig.builder()
                .http("127.0.0.1", 0)
                .tcp("127.0.0.1", 0)
                .admissionMaxWait(Duration.ofMinutes(1))
                .authFailures(Integer.MAX_VALUE, GatewayConfig.DEFAULT_AUTH_FAILURE_WINDOW,
                        GatewayConfig.DEFAULT_AUTH_TRACKED_ADDRESSES)
                .platformCredential(TestBusinesses.platform());
        TestBusinesses.all().forEach(builder::business);
        TestBusinesses.scopedPlatformKeys().forEach(builder::platformKey);
        return builder;
    }

    /** The test configuration on the durable store in {@code dataDir}. */
    /**
     * A node on the durable engine in {@code dataDir}, with its keys in {@code dataDir/keys}: in
     * the test's own temporary directory (a real node keeps them beside the data directory), and
     * where {@code RocksStorage.open(dataDir/store)} looks for them.
     */
    public static GatewayConfig durableConfig(Path dataDir) {
        return testConfig().storage(GatewayConfig.Storage.ROCKSDB).dataDir(dataDir).keysDir(dataDir.resolve("keys"))
                .build();
    }

    /** Copies a node's keys directory to another data directory's, as an operator restores a key backup. */
    public static void copyKeys(Path fromDataDir, Path toDataDir) throws java.io.IOException {
        Path from = fromDataDir.resolve("keys");
        Path to = toDataDir.resolve("keys");
        try (var files = java.nio.file.Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (java.nio.file.Files.isDirectory(file)) {
                    java.nio.file.Files.createDirectories(target);
                } else if (!file.getFileName().toString().equals("LOCK")) {
                    java.nio.file.Files.copy(file, target);
                }
            }
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        GatewayConfig.Builder builder = testConfig();
        customizer.accept(builder);
        InMemoryStorageEngine engine = new InMemoryStorageEngine();
        // The test's log, which records what each message counted against the limits, as the engine's own does.
        gateway = new Gateway(builder.build(), clock,
                new QueuesOf(engine, engine.limits().recording(log), queues, records)).start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        gateway.close();
    }

    public Gateway gateway() {
        return gateway;
    }

    public MutableClock clock() {
        return clock;
    }

    public Inbox queues() {
        return queues;
    }

    public TestHttp http() {
        return new TestHttp(gateway.httpPort());
    }

    public TestTcpClient tcp() {
        return TestTcpClient.connect(gateway.tcpPort());
    }

    /** The in-memory engine, with the test's own delivery queues. */
    private record QueuesOf(InMemoryStorageEngine engine, DeliveryLog deliveryLog, Inbox inbox,
                            InMemoryDeliveryQueues records) implements StorageEngine {
        @Override
        public MessageHistory history() {
            return records;
        }

        @Override
        public WebhookStore webhooks() {
            return records.webhooks();
        }

        @Override
        public Arrivals arrivals() {
            return records.arrivals();
        }

        @Override
        public ConsentStore consents() {
            return engine.consents();
        }

        @Override
        public ConsentRequestStore consentRequests() {
            return engine.consentRequests();
        }

        @Override
        public IdempotencyRecords idempotency() {
            return engine.idempotency();
        }

        @Override
        public LimitStore limits() {
            return engine.limits();
        }

        @Override
        public TemplateStore templates() {
            return engine.templates();
        }

        @Override
        public QualityStore quality() {
            return engine.quality();
        }

        @Override
        public ConsentChangeFeed consentChanges() {
            return engine.consentChanges();
        }

        @Override
        public CampaignStore campaigns() {
            return engine.campaigns();
        }

        @Override
        public byte[] erasureSecret() {
            return engine.erasureSecret();
        }

        @Override
        public void close() {
            engine.close();
        }
    }
}
