package org.optline.storage.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How a node reaches Kafka and its peers, checked when built.
 *
 * @param bootstrapServers {@code host:port,...} of the Kafka cluster
 * @param clientProperties passed to every Kafka client as they are ({@code kafka.client.*}): TLS,
 *     SASL and any tuning; the engine's own settings (acks, idempotence, group, offsets) win
 * @param topicPrefix the names of the engine's topics start with it, so that several deployments
 *     can share a Kafka cluster
 * @param partitions partitions of the delivery and consent topics when the engine creates them;
 *     a recipient's partition is fixed by this number, so it never changes afterwards
 * @param replicationFactor replicas of each topic the engine creates (3)
 * @param minInsyncReplicas replicas that must have a write before it is acknowledged (2)
 * @param sessionTimeout how long the group waits for a silent node before its partitions move
 * @param requestTimeout how long an operation waits for the owner of a partition (a rebalance, an
 *     owner that died) before it fails and the caller is asked to retry
 * @param peerHost where this node listens for its peers
 * @param peerPort that port; 0 picks a free one
 * @param peerAdvertisedHost the host its peers reach it at; {@code peerHost} when null
 * @param localDirectory the node's own files (its campaigns, the refusals it remembers)
 * @param deliveryRetention how long the delivery topic keeps records: longer than the longest time
 *     to live plus the status retention, since a new owner rebuilds a partition from them
 */
public record KafkaSettings(
        String bootstrapServers,
        Map<String, String> clientProperties,
        String topicPrefix,
        int partitions,
        short replicationFactor,
        int minInsyncReplicas,
        Duration sessionTimeout,
        Duration requestTimeout,
        String peerHost,
        int peerPort,
        String peerAdvertisedHost,
        Path localDirectory,
        Duration deliveryRetention) {

    /** Enough owners for a dozen nodes, few enough for a small cluster's rebalances. */
    public static final int DEFAULT_PARTITIONS = 12;
    /** SPEC section 4 on a cluster: a write survives the loss of any one broker. */
    public static final short DEFAULT_REPLICATION_FACTOR = 3;
    /** Two replicas have every acknowledged write: one broker may die, none is lost. */
    public static final int DEFAULT_MIN_INSYNC_REPLICAS = 2;
    /** A node killed with kill -9 gives up its partitions within this. */
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);
    /** Longer than a session timeout plus a rebalance: a request outlives the death of the owner it went to. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(20);
    /** The longest time to live (7 d) plus the status retention (7 d). */
    public static final Duration DEFAULT_DELIVERY_RETENTION = Duration.ofDays(14);
    public static final String DEFAULT_TOPIC_PREFIX = "optline";

    public KafkaSettings {
        Objects.requireNonNull(bootstrapServers, "kafka.bootstrap-servers");
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("kafka.bootstrap-servers names no server");
        }
        clientProperties = Map.copyOf(clientProperties);
        if (!topicPrefix.matches("[A-Za-z0-9._-]{1,100}")) {
            throw new IllegalArgumentException("kafka.topic-prefix must be letters, digits, '.', '_' or '-'");
        }
        if (partitions < 1 || partitions >= (1 << OutboxSequences.PARTITION_BITS)) {
            throw new IllegalArgumentException("kafka.partitions must be 1 to " + ((1 << OutboxSequences.PARTITION_BITS) - 1));
        }
        if (replicationFactor < 1 || minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor) {
            throw new IllegalArgumentException("kafka.min-insync-replicas must be 1 to kafka.replication-factor");
        }
        Objects.requireNonNull(sessionTimeout);
        Objects.requireNonNull(requestTimeout);
        Objects.requireNonNull(peerHost);
        Objects.requireNonNull(localDirectory);
        Objects.requireNonNull(deliveryRetention);
        if (peerPort < 0 || peerPort > 65_535) {
            throw new IllegalArgumentException("kafka.peer-port must be 0 to 65535");
        }
    }

    /** Settings with every default, for {@code bootstrapServers}, keeping the node's files in {@code localDirectory}. */
    public static KafkaSettings defaults(String bootstrapServers, Path localDirectory) {
        return new KafkaSettings(bootstrapServers, Map.of(), DEFAULT_TOPIC_PREFIX, DEFAULT_PARTITIONS,
                DEFAULT_REPLICATION_FACTOR, DEFAULT_MIN_INSYNC_REPLICAS, DEFAULT_SESSION_TIMEOUT,
                DEFAULT_REQUEST_TIMEOUT, "127.0.0.1", 0, null, localDirectory, DEFAULT_DELIVERY_RETENTION);
    }

    public KafkaSettings withTopicPrefix(String prefix) {
        return new KafkaSettings(bootstrapServers, clientProperties, prefix, partitions, replicationFactor,
                minInsyncReplicas, sessionTimeout, requestTimeout, peerHost, peerPort, peerAdvertisedHost,
                localDirectory, deliveryRetention);
    }

    public KafkaSettings withPartitions(int count) {
        return new KafkaSettings(bootstrapServers, clientProperties, topicPrefix, count, replicationFactor,
                minInsyncReplicas, sessionTimeout, requestTimeout, peerHost, peerPort, peerAdvertisedHost,
                localDirectory, deliveryRetention);
    }

    public KafkaSettings withSessionTimeout(Duration timeout) {
        return new KafkaSettings(bootstrapServers, clientProperties, topicPrefix, partitions, replicationFactor,
                minInsyncReplicas, timeout, requestTimeout, peerHost, peerPort, peerAdvertisedHost,
                localDirectory, deliveryRetention);
    }

    public KafkaSettings withLocalDirectory(Path directory) {
        return new KafkaSettings(bootstrapServers, clientProperties, topicPrefix, partitions, replicationFactor,
                minInsyncReplicas, sessionTimeout, requestTimeout, peerHost, peerPort, peerAdvertisedHost,
                directory, deliveryRetention);
    }

    String topic(String name) {
        return topicPrefix + "." + name;
    }

    String advertisedHost() {
        return peerAdvertisedHost == null || peerAdvertisedHost.isBlank() ? peerHost : peerAdvertisedHost;
    }
}
