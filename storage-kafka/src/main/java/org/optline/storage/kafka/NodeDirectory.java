package org.optline.storage.kafka;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Where each gateway node is reached by its peers and which delivery partitions it owns, as the
 * nodes announce it in the compacted nodes topic: at start, whenever the group moves partitions,
 * and every second. Which node owns a partition is decided by Kafka's consumer group, never here:
 * the directory only lets a node find the owner, and a node that no longer owns a partition says
 * so (the caller then looks again). A node not heard from for {@link #SILENCE_NANOS} is taken for
 * dead: its claims are ignored until the group gives its partitions to another node.
 */
final class NodeDirectory implements TableReader.Table {
    /** Five announcements missed. */
    static final long SILENCE_NANOS = 5_000_000_000L;

    /** A node as it announced itself. */
    record Node(String nodeId, String peerAddress, int generation, List<Integer> partitions, long heardAtNanos) {}

    private final Map<String, Node> nodes = new ConcurrentHashMap<>();

    static byte[] announcement(String peerAddress, int generation, Collection<Integer> partitions) {
        Codec.Out out = new Codec.Out().i8(1).str(peerAddress).i32(generation).i32(partitions.size());
        partitions.forEach(out::i32);
        return out.done();
    }

    @Override
    public void apply(ConsumerRecord<byte[], byte[]> record) {
        String nodeId = new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null) {
            nodes.remove(nodeId);
            return;
        }
        Codec.In in = new Codec.In(record.value());
        in.i8();
        String address = in.str();
        int generation = in.i32();
        int count = in.i32();
        List<Integer> partitions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            partitions.add(in.i32());
        }
        nodes.put(nodeId, new Node(nodeId, address, generation, List.copyOf(partitions), System.nanoTime()));
    }

    /** The live node that claims the partition in the latest generation of the group, if any. */
    Optional<Node> owner(int partition) {
        long now = System.nanoTime();
        Node best = null;
        for (Node node : nodes.values()) {
            if (now - node.heardAtNanos() < SILENCE_NANOS && node.partitions().contains(partition)
                    && (best == null || node.generation() > best.generation())) {
                best = node;
            }
        }
        return Optional.ofNullable(best);
    }

    /** How many nodes were heard from lately: asked on every submission, so it allocates nothing. */
    int liveCount() {
        long now = System.nanoTime();
        int live = 0;
        for (Node node : nodes.values()) {
            if (now - node.heardAtNanos() < SILENCE_NANOS) {
                live++;
            }
        }
        return live;
    }

    /** The nodes heard from lately, this one included once it announced itself. */
    List<Node> live() {
        long now = System.nanoTime();
        return nodes.values().stream().filter(node -> now - node.heardAtNanos() < SILENCE_NANOS).toList();
    }
}
