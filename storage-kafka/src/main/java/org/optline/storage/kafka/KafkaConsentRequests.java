package org.optline.storage.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.optline.core.consent.ConsentClass;
import org.optline.core.consent.ConsentRequestStore;
import org.optline.core.recipient.PhoneNumber;

/**
 * The latest consent request per (recipient, business, class), in a compacted topic keyed by the
 * recipient's keyed hash, the business and the class (no number anywhere), read whole by every
 * node: a business that asked through one node is held to the cool-down on every node.
 */
final class KafkaConsentRequests implements ConsentRequestStore, TableReader.Table {
    private final Map<String, Instant> asked = new ConcurrentHashMap<>();
    /** The keys of each recipient, for erasure. */
    private final Map<String, Set<String>> byRecipient = new ConcurrentHashMap<>();
    private final KafkaEngineContext context;
    private final String topic;

    KafkaConsentRequests(KafkaEngineContext context) {
        this.context = context;
        this.topic = context.topics().name(Topics.REQUESTS);
    }

    @Override
    public CompletableFuture<Optional<Instant>> lastAsked(String businessId, PhoneNumber recipient,
                                                          ConsentClass consentClass) {
        return CompletableFuture.completedFuture(Optional.ofNullable(asked.get(key(recipient, businessId, consentClass))));
    }

    @Override
    public CompletableFuture<Void> recordAsked(String businessId, PhoneNumber recipient, ConsentClass consentClass,
                                               Instant at) {
        byte[] hash = context.keys().of(recipient);
        return write(hash, key(recipient, businessId, consentClass), new Codec.Out().i8(1).time(at).done());
    }

    @Override
    public CompletableFuture<Void> erase(PhoneNumber recipient) {
        byte[] hash = context.keys().of(recipient);
        Set<String> keys = byRecipient.getOrDefault(RecipientKeys.hex(hash), Set.of());
        List<CompletableFuture<Void>> gone = new ArrayList<>();
        for (String key : List.copyOf(keys)) {
            gone.add(write(hash, key, null));
        }
        return CompletableFuture.allOf(gone.toArray(CompletableFuture[]::new));
    }

    private String key(PhoneNumber recipient, String businessId, ConsentClass consentClass) {
        return RecipientKeys.hex(context.keys().of(recipient)) + "/" + businessId + "/" + consentClass.name();
    }

    private CompletableFuture<Void> write(byte[] hash, String key, byte[] value) {
        int partition = RecipientKeys.partition(hash, context.partitions(Topics.REQUESTS));
        return context.send(new ProducerRecord<>(topic, partition, key.getBytes(StandardCharsets.UTF_8), value))
                .thenCompose(written -> context.tables().applied(new TopicPartition(topic, written.partition()),
                        written.offset()));
    }

    @Override
    public void apply(ConsumerRecord<byte[], byte[]> record) {
        String key = new String(record.key(), StandardCharsets.UTF_8);
        String recipient = key.substring(0, key.indexOf('/'));
        if (record.value() == null) {
            asked.remove(key);
            byRecipient.computeIfPresent(recipient, (r, keys) -> {
                keys.remove(key);
                return keys.isEmpty() ? null : keys;
            });
            return;
        }
        Codec.In in = new Codec.In(record.value());
        in.i8();
        asked.put(key, in.time());
        byRecipient.computeIfAbsent(recipient, r -> ConcurrentHashMap.newKeySet()).add(key);
    }
}
