package org.optline.storage.kafka;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.optline.core.consent.ConsentChange;
import org.optline.core.consent.ConsentKey;
import org.optline.core.consent.ConsentRecord;
import org.optline.core.consent.ConsentStore;
import org.optline.core.consent.LocalConsentChanges;
import org.optline.core.recipient.PhoneNumber;

/**
 * Consents on Kafka: every change is a record of the compacted consents topic, keyed by the
 * recipient's keyed hash and the change's own id, in the recipient's partition; every node reads
 * the whole topic and folds the changes into records and audit trails in its heap. A change is
 * acknowledged once Kafka has it (on min.insync.replicas brokers) and this node has applied it,
 * so the node's next submission sees it; other nodes see it within their reading lag, and their
 * caches drop the entry from the {@link LocalConsentChanges} feed this table fires on every node.
 *
 * <p>An erasure is a record without the number (the recipient's key and the erasure id), after
 * which every node forgets the recipient, followed by tombstones for each of the recipient's
 * changes, so that compaction removes them from Kafka too.
 */
final class KafkaConsentStore implements ConsentStore, TableReader.Table {
    private static final int CHANGE = 1;
    private static final int ERASURE = 2;

    private static final class Recipient {
        final PhoneNumber number;
        final TreeMap<String, ConsentRecord> records = new TreeMap<>();
        final List<ConsentChange> history = new ArrayList<>();
        final List<byte[]> keys = new ArrayList<>();

        Recipient(PhoneNumber number) {
            this.number = number;
        }
    }

    private final Map<String, Recipient> recipients = new ConcurrentHashMap<>();
    private final Map<String, Instant> erasures = new ConcurrentHashMap<>();
    private final KafkaEngineContext context;
    private final LocalConsentChanges feed;
    private final String topic;

    KafkaConsentStore(KafkaEngineContext context, LocalConsentChanges feed) {
        this.context = context;
        this.feed = feed;
        this.topic = context.topics().name(Topics.CONSENTS);
    }

    @Override
    public CompletableFuture<ConsentRecord> get(ConsentKey key) {
        return CompletableFuture.completedFuture(record(key));
    }

    private ConsentRecord record(ConsentKey key) {
        Recipient recipient = recipients.get(RecipientKeys.hex(context.keys().of(key.recipient())));
        if (recipient == null) {
            return ConsentRecord.NONE;
        }
        synchronized (recipient) {
            return recipient.records.getOrDefault(key.businessId(), ConsentRecord.NONE);
        }
    }

    @Override
    public CompletableFuture<Map<ConsentKey, ConsentRecord>> getAll(Collection<? extends ConsentKey> keys) {
        Map<ConsentKey, ConsentRecord> found = new LinkedHashMap<>();
        for (ConsentKey key : keys) {
            found.computeIfAbsent(key, this::record);
        }
        return CompletableFuture.completedFuture(found);
    }

    @Override
    public CompletableFuture<Void> apply(ConsentChange change) {
        byte[] hash = context.keys().of(change.recipient());
        Codec.Out value = new Codec.Out().i8(CHANGE);
        Codec.change(value, change);
        return write(hash, key(hash, 'e'), value.done());
    }

    @Override
    public CompletableFuture<Map<String, ConsentRecord>> recipientRecords(PhoneNumber number) {
        Recipient recipient = recipients.get(RecipientKeys.hex(context.keys().of(number)));
        if (recipient == null) {
            return CompletableFuture.completedFuture(Map.of());
        }
        synchronized (recipient) {
            return CompletableFuture.completedFuture(new TreeMap<>(recipient.records));
        }
    }

    @Override
    public CompletableFuture<List<ConsentChange>> history(PhoneNumber number) {
        Recipient recipient = recipients.get(RecipientKeys.hex(context.keys().of(number)));
        if (recipient == null) {
            return CompletableFuture.completedFuture(List.of());
        }
        synchronized (recipient) {
            return CompletableFuture.completedFuture(List.copyOf(recipient.history));
        }
    }

    @Override
    public CompletableFuture<Void> erase(PhoneNumber number, String erasureId, Instant at) {
        byte[] hash = context.keys().of(number);
        Recipient recipient = recipients.get(RecipientKeys.hex(hash));
        List<byte[]> changes;
        if (recipient == null) {
            changes = List.of();
        } else {
            synchronized (recipient) {
                changes = List.copyOf(recipient.keys);
            }
        }
        byte[] value = new Codec.Out().i8(ERASURE).str(erasureId).time(at).done();
        return write(hash, key(hash, 'x'), value).thenCompose(erased -> {
            // Every node has forgotten the number; now Kafka forgets it too, at its next compaction.
            List<CompletableFuture<?>> tombstones = new ArrayList<>();
            for (byte[] change : changes) {
                tombstones.add(context.send(new ProducerRecord<>(topic, partition(hash), change, null)));
            }
            return CompletableFuture.allOf(tombstones.toArray(CompletableFuture[]::new));
        });
    }

    /** When the recipient with this erasure id was erased, as this node read it. */
    Instant erasedAt(String erasureId) {
        return erasures.get(erasureId);
    }

    private CompletableFuture<Void> write(byte[] hash, byte[] key, byte[] value) {
        return context.send(new ProducerRecord<>(topic, partition(hash), key, value))
                .thenCompose(written -> context.tables().applied(
                        new org.apache.kafka.common.TopicPartition(topic, written.partition()), written.offset()));
    }

    private int partition(byte[] hash) {
        return RecipientKeys.partition(hash, context.partitions(Topics.CONSENTS));
    }

    /** The recipient's key, a kind ('e' a change, 'x' an erasure) and a random id: every record stays. */
    private static byte[] key(byte[] hash, char kind) {
        UUID id = UUID.randomUUID();
        return ByteBuffer.allocate(RecipientKeys.LENGTH + 17).put(hash, 0, RecipientKeys.LENGTH).put((byte) kind)
                .putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
    }

    @Override
    public void apply(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return;
        }
        String hex = RecipientKeys.hex(record.key());
        Codec.In in = new Codec.In(record.value());
        int type = in.i8();
        if (type == CHANGE) {
            ConsentChange change = Codec.change(in);
            Recipient recipient = recipients.computeIfAbsent(hex, h -> new Recipient(change.recipient()));
            synchronized (recipient) {
                recipient.records.put(change.businessId(),
                        recipient.records.getOrDefault(change.businessId(), ConsentRecord.NONE).apply(change));
                recipient.history.add(change);
                recipient.keys.add(record.key());
            }
            feed.changed(change.key());
        } else if (type == ERASURE) {
            String erasureId = in.str();
            erasures.put(erasureId, in.time());
            Recipient gone = recipients.remove(hex);
            if (gone != null) {
                feed.erased(gone.number);
            }
        }
    }
}
