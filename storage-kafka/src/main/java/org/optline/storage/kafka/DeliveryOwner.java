package org.optline.storage.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.optline.core.inbox.Arrivals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's share of the delivery topic: a member of the consumer group that gives each
 * partition to one node at a time. For each partition it owns it builds a {@link PartitionView}
 * from the start of the partition, and serves it once caught up; it applies every record that
 * follows, in order, on one thread ({@code optline-kafka-inbox}). A command this node writes is
 * answered with the result of applying it, when it comes back from Kafka: the result is then the
 * one every other reader of the partition computes too.
 *
 * <p>When the group takes a partition away (a rebalance, or this node was silent past its session
 * timeout), the view is dropped and whatever waited on it fails with {@link NotOwnerException}: the
 * caller finds the new owner, which rebuilds the same view from Kafka.
 */
final class DeliveryOwner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeliveryOwner.class);
    /** How often the node announces itself (its address and partitions) in the nodes topic. */
    private static final long ANNOUNCE_EVERY_NANOS = 1_000_000_000L;

    private record Waiter(long offset, CompletableFuture<PartitionView> ready) {}

    private record Pending(int partition, CompletableFuture<Object> result) {}

    private final KafkaEngineContext context;
    private final String topic;
    private final String nodeId;
    private volatile String peerAddress;
    private final Arrivals arrivals;
    private final Duration requestTimeout;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<Integer, PartitionView> views = new ConcurrentHashMap<>();
    private final Map<DeliveryCommand.Id, Pending> pending = new ConcurrentHashMap<>();
    /** Readers waiting for a partition to be live and to have applied an offset; guarded by itself. */
    private final Map<Integer, List<Waiter>> waiting = new TreeMap<>();
    private final long incarnation = new java.security.SecureRandom().nextLong();
    private final AtomicLong counter = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    /** Set by {@link #halt()}: the consumer closes without leaving the group, as if the process died. */
    private volatile boolean halting;
    private volatile int generation = -1;
    private final CompletableFuture<Void> assigned = new CompletableFuture<>();
    private long announcedAt;
    private boolean changed = true;

    DeliveryOwner(KafkaEngineContext context, String nodeId, String peerAddress, Arrivals arrivals,
                  Duration requestTimeout) {
        this.context = context;
        this.topic = context.topics().name(Topics.DELIVERY);
        this.nodeId = nodeId;
        this.peerAddress = peerAddress;
        this.arrivals = arrivals;
        this.requestTimeout = requestTimeout;
        this.consumer = new KafkaConsumer<>(context.topics().owner("optline-" + nodeId));
        this.thread = new Thread(this::run, "optline-kafka-inbox");
        thread.setDaemon(true);
    }

    /** Where peers reach this node; announced from the start on. */
    void address(String address) {
        this.peerAddress = address;
    }

    void start() {
        thread.start();
    }

    DeliveryCommand.Id nextId() {
        return new DeliveryCommand.Id(incarnation, counter.incrementAndGet());
    }

    boolean owns(int partition) {
        return views.containsKey(partition);
    }

    /** The partitions this node owns now. */
    Set<Integer> owned() {
        return new TreeSet<>(views.keySet());
    }

    /** The live views of the partitions this node owns, in partition order. */
    List<PartitionView> liveViews() {
        List<PartitionView> live = new ArrayList<>();
        for (Integer partition : owned()) {
            PartitionView view = views.get(partition);
            if (view != null && view.live()) {
                live.add(view);
            }
        }
        return live;
    }

    /**
     * Completes with the views of every partition this node owns once each is live here (a
     * partition lost meanwhile is left out): what reads of the whole node wait for after a start or
     * a rebalance, so that they do not answer from a view still being rebuilt.
     */
    CompletableFuture<List<PartitionView>> settled() {
        List<CompletableFuture<PartitionView>> each = new ArrayList<>();
        for (Integer partition : owned()) {
            each.add(ready(partition, -1).exceptionally(lost -> null));
        }
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<PartitionView> live = new ArrayList<>();
            for (CompletableFuture<PartitionView> view : each) {
                if (view.join() != null) {
                    live.add(view.join());
                }
            }
            return live;
        });
    }

    /** Completes once the group gave this node its first partitions (none, when it has none to give) and they are live. */
    CompletableFuture<Void> firstAssignment() {
        return assigned.thenCompose(done -> settled()).thenAccept(views -> {});
    }

    /**
     * Completes with the partition's view once it is live here and has applied {@code offset};
     * fails with {@link NotOwnerException} when this node does not own the partition or loses it.
     */
    CompletableFuture<PartitionView> ready(int partition, long offset) {
        CompletableFuture<PartitionView> ready = new CompletableFuture<>();
        synchronized (waiting) {
            PartitionView view = views.get(partition);
            if (view == null) {
                ready.completeExceptionally(new NotOwnerException(partition));
                return ready;
            }
            if (view.live() && view.applied() >= offset) {
                ready.complete(view);
                return ready;
            }
            waiting.computeIfAbsent(partition, p -> new ArrayList<>()).add(new Waiter(offset, ready));
        }
        return ready.orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Writes a command to a partition this node owns and completes with the result of applying it.
     * Fails with {@link NotOwnerException} when the partition is not (or no longer) this node's.
     */
    <T> CompletableFuture<T> command(int partition, DeliveryCommand command) {
        return ready(partition, -1).thenCompose(view -> {
            CompletableFuture<Object> result = new CompletableFuture<>();
            pending.put(command.id(), new Pending(partition, result));
            if (!views.containsKey(partition)) {
                pending.remove(command.id());
                return CompletableFuture.failedFuture(new NotOwnerException(partition));
            }
            context.send(new ProducerRecord<>(topic, partition, null, DeliveryCommand.encode(command)))
                    .whenComplete((written, failure) -> {
                        if (failure != null && pending.remove(command.id()) != null) {
                            result.completeExceptionally(failure);
                        }
                    });
            @SuppressWarnings("unchecked")
            CompletableFuture<T> typed = (CompletableFuture<T>) (CompletableFuture<?>) result
                    .orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete((done, failure) -> pending.remove(command.id()));
            return typed;
        });
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topic), new Rebalance());
            while (running) {
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = consumer.poll(Duration.ofMillis(100));
                } catch (WakeupException e) {
                    continue;
                }
                Set<Integer> touched = new TreeSet<>();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    PartitionView view = views.get(record.partition());
                    if (view == null) {
                        continue;
                    }
                    apply(view, record);
                    touched.add(record.partition());
                }
                for (PartitionView view : views.values()) {
                    if (!view.live()) {
                        view.caughtUpTo(consumer.position(new TopicPartition(topic, view.partition)));
                        if (view.live()) {
                            log.info("delivery partition {} rebuilt from Kafka and served by this node (offset {})",
                                    view.partition, view.applied());
                            touched.add(view.partition);
                        }
                    }
                }
                touched.forEach(this::release);
                announce(false);
            }
        } catch (RuntimeException e) {
            if (running) {
                log.error("the reader of the delivery partitions stopped: {}", e.toString(), e);
            }
        } finally {
            try {
                consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(2))
                        .withGroupMembershipOperation(halting
                                ? org.apache.kafka.clients.consumer.CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP
                                : org.apache.kafka.clients.consumer.CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
            } catch (RuntimeException e) {
                log.warn("closing the delivery reader: {}", e.toString());
            }
        }
    }

    private void apply(PartitionView view, ConsumerRecord<byte[], byte[]> record) {
        DeliveryCommand command;
        try {
            command = DeliveryCommand.decode(record.value());
        } catch (RuntimeException e) {
            // Skipping is the same on every node, so every view stays the same.
            log.error("delivery record at partition {} offset {} is unreadable and skipped: {}", record.partition(),
                    record.offset(), e.toString());
            return;
        }
        Object result;
        try {
            result = view.apply(record.offset(), command);
        } catch (RuntimeException e) {
            log.error("delivery record at partition {} offset {} could not be applied: {}", record.partition(),
                    record.offset(), e.toString(), e);
            result = e;
        }
        if (command.id() != null) {
            Pending waiting = pending.remove(command.id());
            if (waiting != null) {
                Object answer = result;
                context.callbacks().execute(() -> {
                    if (answer instanceof RuntimeException failure) {
                        waiting.result().completeExceptionally(failure);
                    } else {
                        waiting.result().complete(answer);
                    }
                });
            }
        }
    }

    private void release(int partition) {
        List<CompletableFuture<PartitionView>> done = new ArrayList<>();
        PartitionView view;
        synchronized (waiting) {
            view = views.get(partition);
            List<Waiter> of = waiting.get(partition);
            if (view == null || of == null || !view.live()) {
                return;
            }
            long applied = view.applied();
            of.removeIf(waiter -> {
                if (waiter.offset() <= applied) {
                    done.add(waiter.ready());
                    return true;
                }
                return false;
            });
        }
        PartitionView ready = view;
        done.forEach(future -> context.callbacks().execute(() -> future.complete(ready)));
    }

    /** Tells the other nodes where this node is and what it owns: now when something changed, else once a second. */
    private void announce(boolean force) {
        long now = System.nanoTime();
        if (!force && !changed && now - announcedAt < ANNOUNCE_EVERY_NANOS) {
            return;
        }
        changed = false;
        announcedAt = now;
        byte[] value = NodeDirectory.announcement(peerAddress, generation, owned());
        context.send(new ProducerRecord<>(context.topics().name(Topics.NODES), 0,
                nodeId.getBytes(StandardCharsets.UTF_8), value));
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            generation = consumer.groupMetadata().generationId();
            if (partitions.isEmpty()) {
                changed = true;
                assigned.complete(null);
                return;
            }
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            for (TopicPartition partition : partitions) {
                PartitionView view = new PartitionView(partition.partition(), ends.getOrDefault(partition, 0L));
                view.queues.arrivals().subscribe(arrivals::arrived);
                views.put(partition.partition(), view);
            }
            consumer.seekToBeginning(partitions);
            assigned.complete(null);
            log.info("this node now owns delivery partitions {} (generation {}); rebuilding them from Kafka",
                    partitions.stream().map(TopicPartition::partition).sorted().toList(), generation);
            changed = true;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            drop(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            drop(partitions);
        }

        private void drop(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            List<CompletableFuture<PartitionView>> lost = new ArrayList<>();
            synchronized (waiting) {
                for (TopicPartition partition : partitions) {
                    views.remove(partition.partition());
                    List<Waiter> of = waiting.remove(partition.partition());
                    if (of != null) {
                        of.forEach(waiter -> lost.add(waiter.ready()));
                    }
                }
            }
            for (TopicPartition partition : partitions) {
                lost.forEach(future -> future.completeExceptionally(new NotOwnerException(partition.partition())));
                pending.values().removeIf(waiting -> {
                    if (waiting.partition() == partition.partition()) {
                        waiting.result().completeExceptionally(new NotOwnerException(partition.partition()));
                        return true;
                    }
                    return false;
                });
            }
            log.info("this node gave up delivery partitions {}",
                    partitions.stream().map(TopicPartition::partition).sorted().toList());
            changed = true;
            // Now, not at the next tick: the new owner's callers look for it at once.
            announce(true);
        }
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

    /** Stops reading without leaving the group or saying goodbye: the group finds out by the session timeout. */
    void halt() {
        halting = true;
        close();
    }

    /** Leaves nothing behind in the nodes topic: a clean stop is not a dead node. */
    void forget() {
        context.send(new ProducerRecord<>(context.topics().name(Topics.NODES), 0,
                nodeId.getBytes(StandardCharsets.UTF_8), null));
    }
}
