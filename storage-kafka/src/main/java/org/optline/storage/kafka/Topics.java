package org.optline.storage.kafka;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.optline.core.storage.StorageException;

/**
 * The engine's topics and the settings of its Kafka clients. Topics are made when missing, with
 * the replication the durability rests on; a topic that exists is used as it is (its partition
 * count is read, never changed: it decides where each recipient lives).
 *
 * <ul>
 *   <li>{@code <prefix>.delivery}: accepted messages and every change to the inboxes, partitioned
 *       by a keyed hash of the recipient; deleted after the retention</li>
 *   <li>{@code <prefix>.consents}: consent changes (the audit trail) and erasures, by recipient;
 *       compacted, so that an erasure's tombstones remove them</li>
 *   <li>{@code <prefix>.consent-requests}, {@code <prefix>.webhooks}, {@code <prefix>.templates}: the
 *       latest request per (recipient, business, class), each business's webhook, and each
 *       (business, name)'s template registered through the API; compacted</li>
 *   <li>{@code <prefix>.quality}: recipients' complaints and positive signals, in one order; deleted
 *       after the delivery retention</li>
 *   <li>{@code <prefix>.nodes}: where each node is reached and which partitions it owns; compacted</li>
 *   <li>{@code <prefix>.meta}: the cluster's secret (keyed hashes, peer requests); compacted</li>
 * </ul>
 */
final class Topics {
    static final String DELIVERY = "delivery";
    static final String CONSENTS = "consents";
    static final String REQUESTS = "consent-requests";
    static final String WEBHOOKS = "webhooks";
    static final String TEMPLATES = "templates";
    static final String QUALITY = "quality";
    static final String NODES = "nodes";
    static final String META = "meta";

    private final KafkaSettings settings;

    Topics(KafkaSettings settings) {
        this.settings = settings;
    }

    String name(String topic) {
        return settings.topic(topic);
    }

    /** Admin, producer and consumer settings start from the operator's pass-through ones (TLS, SASL). */
    Properties common() {
        Properties p = new Properties();
        p.putAll(settings.clientProperties());
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        return p;
    }

    /** Idempotent, acks from every in-sync replica: a write acknowledged is on min.insync.replicas brokers. */
    Properties producer(String clientId) {
        Properties p = common();
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "1");
        p.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(settings.requestTimeout().toMillis()));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                Long.toString(Math.min(settings.requestTimeout().toMillis() - 1, 10_000)));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    /** A reader of whole partitions it assigns itself; it keeps no offsets in Kafka. */
    Properties reader(String clientId) {
        Properties p = common();
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Consent lag: a fetch returns as soon as a record is there, and waits at most this when none is.
        p.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    /** A member of the group that shares the delivery partitions out among the nodes. */
    Properties owner(String clientId) {
        Properties p = reader(clientId);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.topic("owners"));
        p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                org.apache.kafka.clients.consumer.CooperativeStickyAssignor.class.getName());
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(settings.sessionTimeout().toMillis()));
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
                Long.toString(Math.max(100, settings.sessionTimeout().toMillis() / 5)));
        p.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        return p;
    }

    /** A topic just made may not be known to every broker yet: ask again for a while. */
    private Map<String, TopicDescription> describe(Admin admin, List<String> names)
            throws ExecutionException, TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + settings.requestTimeout().toNanos();
        while (true) {
            try {
                Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames()
                        .get(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
                boolean led = described.values().stream()
                        .allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null));
                if (led) {
                    return described;
                }
            } catch (ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("the topics have no leader yet");
            }
            Thread.sleep(50);
        }
    }

    /** Makes the topics that are missing, and answers the partition count of each. */
    Map<String, Integer> ensure() {
        try (Admin admin = Admin.create(common())) {
            Map<String, String> compacted = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                    TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(settings.minInsyncReplicas()));
            Map<String, String> delivery = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG, Long.toString(settings.deliveryRetention().toMillis()),
                    TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(settings.minInsyncReplicas()));
            List<NewTopic> wanted = new ArrayList<>();
            wanted.add(new NewTopic(name(DELIVERY), settings.partitions(), settings.replicationFactor()).configs(delivery));
            wanted.add(new NewTopic(name(CONSENTS), settings.partitions(), settings.replicationFactor()).configs(compacted));
            wanted.add(new NewTopic(name(REQUESTS), settings.partitions(), settings.replicationFactor()).configs(compacted));
            wanted.add(new NewTopic(name(WEBHOOKS), 1, settings.replicationFactor()).configs(compacted));
            wanted.add(new NewTopic(name(TEMPLATES), 1, settings.replicationFactor()).configs(compacted));
            // Every record counts (complaints, positives): deleted after the delivery retention, longer than the rating's window.
            wanted.add(new NewTopic(name(QUALITY), 1, settings.replicationFactor()).configs(delivery));
            wanted.add(new NewTopic(name(NODES), 1, settings.replicationFactor()).configs(compacted));
            wanted.add(new NewTopic(name(META), 1, settings.replicationFactor()).configs(compacted));
            for (NewTopic topic : wanted) {
                try {
                    admin.createTopics(List.of(topic)).all().get(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            Map<String, TopicDescription> described = describe(admin, wanted.stream().map(NewTopic::name).toList());
            Map<String, Integer> counts = new HashMap<>();
            described.forEach((name, description) -> counts.put(name, description.partitions().size()));
            return counts;
        } catch (ExecutionException | TimeoutException e) {
            throw new StorageException("cannot make or read the Kafka topics at " + settings.bootstrapServers() + ": "
                    + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while making the Kafka topics", e);
        }
    }
}
