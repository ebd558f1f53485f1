package org.optline.storage.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.optline.core.webhook.WebhookRegistration;

/**
 * Each business's webhook, in a compacted topic keyed by business and read whole by every node, so
 * that whichever node owns a message's partition sends its webhook. A change is read, made and
 * written under this node's lock: two nodes changing the same webhook at the same moment both
 * write, and the later write wins (a rotation made on one node and a URL change made on another
 * within the same few milliseconds may lose one of the two).
 */
final class KafkaWebhookRegistrations implements TableReader.Table {
    private final Map<String, WebhookRegistration> registrations = new ConcurrentHashMap<>();
    private final KafkaEngineContext context;
    private final String topic;

    KafkaWebhookRegistrations(KafkaEngineContext context) {
        this.context = context;
        this.topic = context.topics().name(Topics.WEBHOOKS);
    }

    Optional<WebhookRegistration> get(String businessId) {
        return Optional.ofNullable(registrations.get(businessId));
    }

    CompletableFuture<Void> put(WebhookRegistration registration) {
        return write(registration.businessId(), Codec.registration(registration));
    }

    CompletableFuture<Void> remove(String businessId) {
        return write(businessId, null);
    }

    synchronized CompletableFuture<Optional<WebhookRegistration>> update(String businessId,
            UnaryOperator<Optional<WebhookRegistration>> change) {
        Optional<WebhookRegistration> before = get(businessId);
        Optional<WebhookRegistration> after = change.apply(before);
        if (after.isEmpty() || after.equals(before)) {
            return CompletableFuture.completedFuture(after);
        }
        // Held until the write is applied here, so that the next change on this node starts from it.
        return CompletableFuture.completedFuture(put(after.get()).thenApply(done -> after).join());
    }

    private CompletableFuture<Void> write(String businessId, byte[] value) {
        return context.send(new ProducerRecord<>(topic, 0, businessId.getBytes(StandardCharsets.UTF_8), value))
                .thenCompose(written -> context.tables().applied(new TopicPartition(topic, written.partition()),
                        written.offset()));
    }

    @Override
    public void apply(ConsumerRecord<byte[], byte[]> record) {
        String businessId = new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null) {
            registrations.remove(businessId);
        } else {
            registrations.put(businessId, Codec.registration(record.value()));
        }
    }
}
