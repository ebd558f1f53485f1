package org.optline.storage.kafka;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/** What the engine's parts share: the topics, the one producer, the tables' reader and the recipients' keys. */
final class KafkaEngineContext {
    private final Topics topics;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Map<String, Integer> partitions;
    private final Executor callbacks;
    private TableReader tables;
    private RecipientKeys keys;

    KafkaEngineContext(Topics topics, KafkaProducer<byte[], byte[]> producer, Map<String, Integer> partitions,
                       Executor callbacks) {
        this.topics = topics;
        this.producer = producer;
        this.partitions = Map.copyOf(partitions);
        this.callbacks = callbacks;
    }

    Topics topics() {
        return topics;
    }

    int partitions(String topic) {
        return partitions.get(topics.name(topic));
    }

    TableReader tables() {
        return tables;
    }

    void tables(TableReader reader) {
        this.tables = reader;
    }

    RecipientKeys keys() {
        return keys;
    }

    void keys(RecipientKeys recipientKeys) {
        this.keys = recipientKeys;
    }

    Executor callbacks() {
        return callbacks;
    }

    /**
     * Writes one record; completes (off the producer's thread) when every in-sync replica has it,
     * or fails when Kafka did not take it within the delivery timeout.
     */
    CompletableFuture<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
        CompletableFuture<RecordMetadata> written = new CompletableFuture<>();
        try {
            producer.send(record, (metadata, failure) -> callbacks.execute(() -> {
                if (failure != null) {
                    written.completeExceptionally(failure);
                } else {
                    written.complete(metadata);
                }
            }));
        } catch (RuntimeException e) {
            written.completeExceptionally(e);
        }
        return written;
    }
}
