package org.optline.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway node dies under load (its engine stops as a crashed process's would: no goodbye to
 * the group, nothing flushed, its listeners gone): no message answered ACCEPTED is lost, by
 * whichever node accepted it, and the dead node's partitions move to the others, which go on
 * serving them from Kafka.
 */
class NodeFailureTest {
    @TempDir
    static Path directory;
    private static final List<Node> nodes = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        LocalKafka kafka = SharedKafka.get();
        String prefix = SharedKafka.prefix("node-failure");
        for (int i = 0; i < 3; i++) {
            nodes.add(Node.start(kafka.bootstrapServers(), prefix, directory.resolve("node-" + i), InstantSource.system()));
        }
        ClusterEndToEndTest.awaitBalanced(nodes, 6);
    }

    @AfterAll
    static void stop() {
        nodes.forEach(Node::close);
    }

    @Test
    void aNodeKilledUnderLoadLosesNoAcceptedMessageAndItsPartitionsMove() throws Exception {
        List<String> recipients = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            recipients.add(ClusterEndToEndTest.recipient(2_000 + i));
        }
        ClusterEndToEndTest.optIn(nodes, recipients, Node.BANK, "TRANSACTIONAL_CLASS");
        Node victim = nodes.get(2);
        Set<Integer> victimsPartitions = victim.engine.ownedPartitions();

        Load load = new Load(nodes, recipients, 600, "kill").start(4);
        Await.until("a third of the load accepted", Duration.ofSeconds(60), () -> load.acceptedCount() >= 200);
        load.down(victim);
        victim.kill();
        load.await();

        List<Node> survivors = nodes.subList(0, 2);
        ClusterEndToEndTest.awaitBalanced(survivors, 6);
        Set<Integer> taken = new TreeSet<>();
        survivors.forEach(node -> taken.addAll(node.engine.ownedPartitions()));
        assertThat(taken).as("the dead node's partitions moved").containsAll(victimsPartitions);

        Map<String, String> accepted = load.accepted();
        assertThat(accepted).as("the load went on after the kill").hasSizeGreaterThanOrEqualTo(600);
        Map<String, Integer> reads = Load.readAll(survivors, recipients);
        assertThat(reads.keySet()).as("every accepted message is still queued").containsAll(accepted.keySet());
        assertThat(reads.values()).as("each read once").containsOnly(1);
        assertThat(reads.size() - accepted.size())
                .as("only messages whose answer was lost with the node may be queued besides")
                .isLessThanOrEqualTo(load.unanswered());
        System.out.println("node killed under load: " + accepted.size() + " accepted, " + load.unanswered()
                + " unanswered, " + load.refused() + " refused; " + reads.size() + " read back");
    }
}
