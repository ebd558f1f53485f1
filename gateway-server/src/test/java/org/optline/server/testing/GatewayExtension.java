package org.optline.server.testing;

import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.optline.core.consent.ConsentStore;
import org.optline.core.consent.InMemoryConsentRequestStore;
import org.optline.core.consent.InMemoryConsentStore;
import org.optline.core.idempotency.IdempotencyRecords;
import org.optline.core.queue.DeliveryQueues;
import org.optline.core.queue.InMemoryDeliveryQueues;
import org.optline.core.testing.MutableClock;
import org.optline.server.Gateway;
import org.optline.server.config.GatewayConfig;

/**
 * Starts a real gateway on loopback, on free ports, once per test class, and stops it after.
 * The gateway runs on a {@link MutableClock}, so tests move time instead of waiting for it.
 * Register it as a static field with {@code @RegisterExtension}.
 */
public final class GatewayExtension implements BeforeAllCallback, AfterAllCallback {
    private final Consumer<GatewayConfig.Builder> customizer;
    private final DeliveryQueues queues;
    private final ConsentStore consents = new InMemoryConsentStore();
    private final MutableClock clock = new MutableClock();
    private Gateway gateway;

    public GatewayExtension() {
        this(b -> {}, new InMemoryDeliveryQueues());
    }

    public GatewayExtension(Consumer<GatewayConfig.Builder> customizer, DeliveryQueues queues) {
        this.customizer = customizer;
        this.queues = queues;
    }

    /** A configuration on loopback, on free ports, with the test businesses. */
    public static GatewayConfig.Builder testConfig() {
        GatewayConfig.Builder builder = GatewayConfig.builder()
                .http("127.0.0.1", 0)
                .tcp("127.0.0.1", 0)
                .platformCredential(TestBusinesses.platform());
        TestBusinesses.all().forEach(builder::business);
        return builder;
    }

    /** The test configuration on the durable store in {@code dataDir}. */
    public static GatewayConfig durableConfig(java.nio.file.Path dataDir) {
        return testConfig().storage(GatewayConfig.Storage.ROCKSDB).dataDir(dataDir).build();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        GatewayConfig.Builder builder = testConfig();
        customizer.accept(builder);
        gateway = new Gateway(builder.build(), clock, consents, new InMemoryConsentRequestStore(), queues,
                IdempotencyRecords.NONE, new byte[32], null).start();
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

    public DeliveryQueues queues() {
        return queues;
    }

    public TestHttp http() {
        return new TestHttp(gateway.httpPort());
    }

    public TestTcpClient tcp() {
        return TestTcpClient.connect(gateway.tcpPort());
    }
}
