package org.optline.storage.kafka;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.optline.core.delivery.DeliveryEngineContractTest;
import org.optline.core.idempotency.IdempotencyWindow;
import org.optline.core.storage.StorageEngine;

/**
 * The delivery side's contract on Kafka, one node on the shared 3-broker cluster: every lease,
 * settlement and sweep a command in the delivery topic, and "reopen" a new engine that rebuilds
 * the inbox from the topic alone.
 */
class KafkaDeliveryEngineTest extends DeliveryEngineContractTest {
    private static KafkaTestCluster cluster;
    private final String prefix = KafkaTestCluster.freshPrefix("delivery");

    @BeforeAll
    static void cluster() throws Exception {
        cluster = KafkaTestCluster.shared();
    }

    @Override
    protected StorageEngine open(Path directory) {
        return KafkaStorageEngine.open(settings(cluster, prefix, directory.resolve("local")), clock,
                IdempotencyWindow.DEFAULT_WINDOW);
    }

    /** Small topics (3 partitions) and a short session: what the tests need, quickly made. */
    static KafkaSettings settings(KafkaTestCluster cluster, String prefix, Path local) {
        return KafkaSettings.defaults(cluster.bootstrapServers(), local).withTopicPrefix(prefix).withPartitions(3)
                .withSessionTimeout(Duration.ofSeconds(3));
    }

    @Override
    protected boolean durable() {
        return true;
    }
}
