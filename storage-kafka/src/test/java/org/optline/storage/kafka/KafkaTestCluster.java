package org.optline.storage.kafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * An in-process Apache Kafka cluster in KRaft mode, made from Kafka's own test kit: three brokers
 * and one controller on 127.0.0.1, with the settings the gateway's durability rests on
 * (replication factor 3, {@code min.insync.replicas} 2). One per test JVM is shared by the test
 * classes that do not break it ({@link #shared()}); a test that stops brokers starts its own.
 */
public final class KafkaTestCluster implements AutoCloseable {
    private static KafkaTestCluster shared;
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private final KafkaClusterTestKit kit;

    private KafkaTestCluster(KafkaClusterTestKit kit) {
        this.kit = kit;
    }

    /** Starts a cluster of {@code brokers} brokers and one controller; returns when every broker is ready. */
    public static KafkaTestCluster start(int brokers) throws Exception {
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
                // A node that dies is noticed within its session timeout; tests use a short one.
                .setConfigProp("group.min.session.timeout.ms", "2000")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("log.flush.interval.messages", Long.toString(Long.MAX_VALUE))
                .setDeleteOnClose(true)
                .build();
        kit.format();
        kit.startup();
        kit.waitForReadyBrokers();
        return new KafkaTestCluster(kit);
    }

    /** The cluster shared by this JVM's test classes, started on first use and stopped when the JVM exits. */
    public static synchronized KafkaTestCluster shared() throws Exception {
        if (shared == null) {
            shared = start(3);
            KafkaTestCluster stopping = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(stopping::close, "kafka-test-cluster-stop"));
        }
        return shared;
    }

    /** A topic prefix no other test of this JVM uses: each test starts from empty topics. */
    public static String freshPrefix(String name) {
        return "t" + PREFIXES.incrementAndGet() + "-" + name + "-" + ProcessHandle.current().pid();
    }

    public String bootstrapServers() {
        return kit.bootstrapServers();
    }

    public KafkaClusterTestKit kit() {
        return kit;
    }

    @Override
    public void close() {
        try {
            kit.close();
        } catch (Exception e) {
            throw new IllegalStateException("the test cluster did not stop cleanly", e);
        }
    }
}
