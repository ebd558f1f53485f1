package org.optline.storage.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every partition of the compacted topics that every node materialises (consents, consent
 * requests, webhooks, nodes, the cluster's secret) from their start, on one thread, and hands
 * each record to the table of its topic. A writer that must read its own write (a consent change
 * is acknowledged only once this node's own cache can see it) waits for the offset Kafka gave it.
 */
final class TableReader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TableReader.class);

    /** What a table does with each record of its topic; on the reader's thread, quick, never blocking. */
    interface Table {
        void apply(ConsumerRecord<byte[], byte[]> record);
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, Table> tables;
    private final Map<TopicPartition, Long> applied = new ConcurrentHashMap<>();
    /** Writers waiting for an offset, per partition, in offset order; guarded by itself. */
    private final Map<TopicPartition, TreeMap<Long, List<CompletableFuture<Void>>>> waiting = new HashMap<>();
    private final Thread thread;
    private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
    private volatile boolean running = true;

    private final java.util.concurrent.Executor callbacks;

    TableReader(Topics topics, String clientId, Map<String, Table> tables, java.util.concurrent.Executor callbacks) {
        this.callbacks = callbacks;
        this.consumer = new KafkaConsumer<>(topics.reader(clientId));
        this.tables = Map.copyOf(tables);
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : tables.keySet()) {
            for (PartitionInfo info : consumer.partitionsFor(topic)) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        this.thread = new Thread(() -> run(ends), "optline-kafka-tables");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Completes when every record written before the start has been applied. */
    CompletableFuture<Void> caughtUp() {
        return caughtUp;
    }

    /** Completes once the record at {@code offset} of the partition has been applied by this node. */
    CompletableFuture<Void> applied(TopicPartition partition, long offset) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (waiting) {
            Long at = applied.get(partition);
            if (at != null && at >= offset) {
                done.complete(null);
                return done;
            }
            waiting.computeIfAbsent(partition, p -> new TreeMap<>()).computeIfAbsent(offset, o -> new ArrayList<>())
                    .add(done);
        }
        return done;
    }

    private void run(Map<TopicPartition, Long> ends) {
        Map<TopicPartition, Long> behind = new HashMap<>(ends);
        behind.values().removeIf(end -> end == 0);
        if (behind.isEmpty()) {
            caughtUp.complete(null);
        }
        try {
            while (running) {
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = consumer.poll(Duration.ofMillis(200));
                } catch (WakeupException e) {
                    continue;
                }
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    try {
                        tables.get(record.topic()).apply(record);
                    } catch (RuntimeException e) {
                        // A record this node cannot read is skipped, loudly: stopping would stop every table.
                        log.error("a record of {} at offset {} could not be applied: {}", record.topic(),
                                record.offset(), e.toString());
                    }
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    applied.put(partition, record.offset());
                    release(partition, record.offset());
                }
                if (!caughtUp.isDone()) {
                    behind.entrySet().removeIf(end -> consumer.position(end.getKey()) >= end.getValue());
                    if (behind.isEmpty()) {
                        caughtUp.complete(null);
                    }
                }
            }
        } catch (RuntimeException e) {
            if (running) {
                log.error("the reader of the shared tables stopped: {}", e.toString(), e);
                caughtUp.completeExceptionally(e);
            }
        } finally {
            consumer.close(java.time.Duration.ofSeconds(1));
        }
    }

    private void release(TopicPartition partition, long offset) {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        synchronized (waiting) {
            TreeMap<Long, List<CompletableFuture<Void>>> of = waiting.get(partition);
            if (of == null) {
                return;
            }
            var head = of.headMap(offset, true);
            head.values().forEach(done::addAll);
            head.clear();
        }
        // Off this thread: what waits on a write goes on to answer its caller, which must not hold up the tables.
        done.forEach(future -> callbacks.execute(() -> future.complete(null)));
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
