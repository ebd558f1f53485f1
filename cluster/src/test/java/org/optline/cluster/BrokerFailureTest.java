package org.optline.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker of the three stops under load: with a replication factor of 3 and
 * {@code min.insync.replicas} 2, every message answered ACCEPTED was already on two brokers, and
 * the two left go on taking writes. Its own Kafka cluster, since it breaks one.
 */
class BrokerFailureTest {
    @TempDir
    static Path directory;
    private static LocalKafka kafka;
    private static final List<Node> nodes = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        kafka = LocalKafka.start(3);
        String prefix = SharedKafka.prefix("broker-failure");
        for (int i = 0; i < 2; i++) {
            nodes.add(Node.start(kafka.bootstrapServers(), prefix, directory.resolve("node-" + i), InstantSource.system()));
        }
        ClusterEndToEndTest.awaitBalanced(nodes, 6);
    }

    @AfterAll
    static void stop() throws Exception {
        nodes.forEach(Node::close);
        kafka.close();
    }

    @Test
    void aBrokerStoppedUnderLoadLosesNoAcceptedMessage() throws Exception {
        List<String> recipients = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            recipients.add(ClusterEndToEndTest.recipient(3_000 + i));
        }
        ClusterEndToEndTest.optIn(nodes, recipients, Node.BANK, "TRANSACTIONAL_CLASS");

        Load load = new Load(nodes, recipients, 600, "broker").start(4);
        Await.until("a third of the load accepted", Duration.ofSeconds(60), () -> load.acceptedCount() >= 200);
        int broker = kafka.kit().brokers().keySet().iterator().next();
        kafka.kit().brokers().get(broker).shutdown();
        load.await();

        Map<String, String> accepted = load.accepted();
        assertThat(accepted).as("the load went on with two brokers").hasSizeGreaterThanOrEqualTo(600);
        Map<String, Integer> reads = Load.readAll(nodes, recipients);
        assertThat(reads.keySet()).as("every accepted message is still queued").containsAll(accepted.keySet());
        assertThat(reads.values()).as("each read once").containsOnly(1);
        assertThat(reads.size() - accepted.size()).isLessThanOrEqualTo(load.unanswered());
        System.out.println("broker " + broker + " stopped under load: " + accepted.size() + " accepted, "
                + load.unanswered() + " unanswered, " + load.refused() + " refused; " + reads.size() + " read back");
    }
}
