package org.optline.storage.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.optline.core.quality.FeedbackKind;
import org.optline.core.quality.QualityStore;
import org.optline.core.quality.SignalCounts;
import org.optline.core.quality.Standing;
import org.optline.core.quality.StandingEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recipients' feedback shared by every node: each complaint and each batch of positive signals is
 * a record of the quality topic (one partition, so one order for the whole cluster), which every
 * node reads whole and counts per business and hour. A complaint counts once, whichever nodes
 * it was reported through: the first record of its (business, kind, subject) in Kafka's order is
 * the one counted, on every node alike. Other nodes' signals are told to the node's
 * {@link org.optline.core.quality.QualityService}, so every node rates a business on the same
 * figures and pauses it on the same complaint.
 *
 * <p>Standings and their events are kept per node, in the node's local store: each node decides
 * them from the same figures, so they agree; an operator's lift is a record too, which every
 * other node applies to its own standing.
 */
final class KafkaQualityStore implements QualityStore, TableReader.Table {
    private static final Logger log = LoggerFactory.getLogger(KafkaQualityStore.class);
    private static final int COMPLAINT = 1;
    private static final int POSITIVES = 2;
    private static final int LIFT = 3;

    private final KafkaEngineContext context;
    private final String nodeId;
    private final QualityStore local;
    private final String topic;
    private final List<Signals> watchers = new CopyOnWriteArrayList<>();
    /** The offset and time of the first record of each complaint kept; guarded by this. */
    private final Map<String, long[]> complaints = new HashMap<>();
    /** Per business, per hour: spam reports, blocks, positives; guarded by this. */
    private final Map<String, TreeMap<Long, long[]>> counts = new HashMap<>();

    KafkaQualityStore(KafkaEngineContext context, String nodeId, QualityStore local) {
        this.context = context;
        this.nodeId = nodeId;
        this.local = local;
        this.topic = context.topics().name(Topics.QUALITY);
    }

    @Override
    public void watch(Signals signals) {
        watchers.add(signals);
    }

    @Override
    public CompletableFuture<Boolean> recordComplaint(String businessId, FeedbackKind kind, String subject, Instant at) {
        String key = complaintKey(businessId, kind, subject);
        byte[] value = new Codec.Out().i8(COMPLAINT).str(nodeId).str(businessId).enumValue(kind).str(subject)
                .i64(at.toEpochMilli()).done();
        return write(key, value).thenApply(written -> {
            synchronized (this) {
                long[] first = complaints.get(key);
                return first != null && first[0] == written.offset();
            }
        });
    }

    @Override
    public CompletableFuture<Void> addPositives(String businessId, long hourMillis, long count) {
        byte[] value = new Codec.Out().i8(POSITIVES).str(nodeId).str(businessId).i64(hourMillis).i64(count).done();
        return write(businessId, value).thenAccept(written -> {});
    }

    @Override
    public CompletableFuture<Void> lifted(String businessId, long atMillis) {
        byte[] value = new Codec.Out().i8(LIFT).str(nodeId).str(businessId).i64(atMillis).done();
        return write(businessId, value).thenAccept(written -> {});
    }

    private CompletableFuture<RecordMetadata> write(String key, byte[] value) {
        return context.send(new ProducerRecord<>(topic, 0, key.getBytes(StandardCharsets.UTF_8), value))
                .thenCompose(written -> context.tables().applied(new TopicPartition(topic, written.partition()),
                        written.offset()).thenApply(applied -> written));
    }

    private static String complaintKey(String businessId, FeedbackKind kind, String subject) {
        return businessId + '\0' + kind.name() + '\0' + subject;
    }

    @Override
    public synchronized CompletableFuture<List<SignalCounts>> counts(String businessId, long sinceMillis) {
        List<SignalCounts> found = new ArrayList<>();
        TreeMap<Long, long[]> hours = counts.get(businessId);
        if (hours != null) {
            for (Map.Entry<Long, long[]> hour : hours.tailMap(sinceMillis, true).entrySet()) {
                long[] c = hour.getValue();
                found.add(new SignalCounts(hour.getKey(), c[0], c[1], c[2]));
            }
        }
        return CompletableFuture.completedFuture(found);
    }

    @Override
    public CompletableFuture<List<Standing>> standings() {
        return local.standings();
    }

    @Override
    public CompletableFuture<List<StandingEvent>> save(Standing standing, List<StandingEvent> events) {
        return local.save(standing, events);
    }

    @Override
    public CompletableFuture<List<StandingEvent>> events(String businessId, long after, int max) {
        return local.events(businessId, after, max);
    }

    /** Forgets counts and complaints older than the window here; Kafka's retention drops their records. */
    @Override
    public CompletableFuture<Integer> forget(long beforeMillis, int max) {
        int forgotten = 0;
        synchronized (this) {
            for (Iterator<long[]> it = complaints.values().iterator(); it.hasNext() && forgotten < max; ) {
                if (it.next()[1] < beforeMillis) {
                    it.remove();
                    forgotten++;
                }
            }
            for (Iterator<TreeMap<Long, long[]>> it = counts.values().iterator(); it.hasNext() && forgotten < max; ) {
                TreeMap<Long, long[]> hours = it.next();
                while (!hours.isEmpty() && hours.firstKey() < beforeMillis && forgotten < max) {
                    hours.pollFirstEntry();
                    forgotten++;
                }
                if (hours.isEmpty()) {
                    it.remove();
                }
            }
        }
        return CompletableFuture.completedFuture(forgotten);
    }

    @Override
    public void apply(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return;
        }
        Codec.In in = new Codec.In(record.value());
        int type = in.i8();
        String from = in.str();
        String businessId = in.str();
        if (type == COMPLAINT) {
            FeedbackKind kind = in.enumValue(FeedbackKind.class);
            String subject = in.str();
            long at = in.i64();
            long hour = hourOf(at);
            synchronized (this) {
                String key = complaintKey(businessId, kind, subject);
                if (complaints.containsKey(key)) {
                    // Reported again (through any node): counted once.
                    return;
                }
                complaints.put(key, new long[] {record.offset(), at});
                add(businessId, hour, kind == FeedbackKind.SPAM_REPORT ? 1 : 0, kind == FeedbackKind.BLOCK ? 1 : 0, 0);
            }
            if (!from.equals(nodeId)) {
                tell(businessId, hour, kind == FeedbackKind.SPAM_REPORT ? 1 : 0, kind == FeedbackKind.BLOCK ? 1 : 0, 0,
                        at);
            }
        } else if (type == LIFT) {
            long at = in.i64();
            if (!from.equals(nodeId)) {
                for (Signals signals : watchers) {
                    try {
                        signals.liftedElsewhere(businessId, at);
                    } catch (RuntimeException e) {
                        log.warn("the quality service refused a lift read from Kafka: {}", e.toString());
                    }
                }
            }
        } else if (type == POSITIVES) {
            long hour = in.i64();
            long count = in.i64();
            synchronized (this) {
                add(businessId, hour, 0, 0, count);
            }
            if (!from.equals(nodeId)) {
                tell(businessId, hour, 0, 0, count, hour);
            }
        }
    }

    private void add(String businessId, long hour, long spam, long blocks, long positives) {
        long[] c = counts.computeIfAbsent(businessId, id -> new TreeMap<>()).computeIfAbsent(hour, h -> new long[3]);
        c[0] += spam;
        c[1] += blocks;
        c[2] += positives;
    }

    private void tell(String businessId, long hour, long spam, long blocks, long positives, long at) {
        for (Signals signals : watchers) {
            try {
                signals.countedElsewhere(businessId, hour, spam, blocks, positives, at);
            } catch (RuntimeException e) {
                log.warn("the quality service refused feedback read from Kafka: {}", e.toString());
            }
        }
    }

    private static long hourOf(long millis) {
        return millis - Math.floorMod(millis, 3_600_000L);
    }
}
