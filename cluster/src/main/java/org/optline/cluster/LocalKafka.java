package org.optline.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A Kafka cluster in this JVM, in KRaft mode, built from Kafka's own test kit (resolved by Maven
 * like any dependency): {@code brokers} brokers and one controller on loopback, replication factor
 * 3 and {@code min.insync.replicas} 2 for every topic the gateway makes. For the end-to-end tests
 * and for trying a cluster on one machine ({@link LocalCluster}); never for production.
 */
public final class LocalKafka implements AutoCloseable {
    private final KafkaClusterTestKit kit;

    private LocalKafka(KafkaClusterTestKit kit) {
        this.kit = kit;
    }

    /** Starts the brokers and returns when every one is ready. */
    public static LocalKafka start(int brokers) throws Exception {
        Path base = Files.createTempDirectory("optline-kafka");
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(false)
                .setNumBrokerNodes(brokers)
                .setNumControllerNodes(1)
                .setBaseDirectory(base)
                .build();
        KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("min.insync.replicas", "2")
                .setConfigProp("default.replication.factor", "3")
                .setConfigProp("offsets.topic.replication.factor", "3")
                .setConfigProp("offsets.topic.num.partitions", "3")
                .setConfigProp("transaction.state.log.replication.factor", "3")
                .setConfigProp("transaction.state.log.min.isr", "2")
                // Gateway nodes in tests use a short session: a killed one gives up its partitions quickly.
                .setConfigProp("group.min.session.timeout.ms", "2000")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setDeleteOnClose(true)
                .build();
        kit.format();
        kit.startup();
        kit.waitForReadyBrokers();
        return new LocalKafka(kit);
    }

    public String bootstrapServers() {
        return kit.bootstrapServers();
    }

    /** The test kit itself: its brokers can be stopped one by one. */
    public KafkaClusterTestKit kit() {
        return kit;
    }

    @Override
    public void close() throws Exception {
        kit.close();
    }
}
