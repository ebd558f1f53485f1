package org.optline.storage.rocksdb;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.optline.core.idempotency.IdempotencyRecord;
import org.optline.core.inbox.Inbox;
import org.optline.core.queue.Accepted;
import org.optline.core.queue.DeliveryLog;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.recipient.PhoneNumber;

/**
 * Delivery queues on disk, both the log and the inbox of a single node. A recipient's queue is
 * the range of keys {@code recipient ‖ 0 ‖ sequence}, so reading it in acceptance order is one
 * range scan and its depth costs no heap. Each append writes, in one atomic group commit, the
 * message, its id in the message index, and the idempotency record handed over with it: after a
 * crash all three are there or none.
 */
public final class RocksDeliveryQueues implements DeliveryLog, Inbox {
    private final RocksStorage storage;

    public RocksDeliveryQueues(RocksStorage storage) {
        this.storage = storage;
    }

    @Override
    public CompletableFuture<Void> append(List<Accepted> accepted) {
        // Encoded here, on the caller's thread, so that the one writer thread only copies bytes.
        List<Encoded> encoded = new ArrayList<>(accepted.size());
        for (Accepted each : accepted) {
            QueuedMessage message = each.message();
            IdempotencyRecord record = each.idempotency();
            encoded.add(new Encoded(message.recipient().e164(), Codec.message(message),
                    Keys.messageId(message.messageId()),
                    Keys.idempotency(record.businessId(), record.clientMessageId()),
                    Codec.outcome(record.outcome(), record.decidedAt())));
        }
        return storage.write(group -> {
            for (Encoded message : encoded) {
                byte[] queueKey = Keys.sequenced(message.recipient, group.nextSequence());
                group.put(storage.queues, queueKey, message.value);
                group.put(storage.messageIndex, message.indexKey, queueKey);
                group.put(storage.idempotency, message.idempotencyKey, message.idempotencyRecord);
            }
            return null;
        });
    }

    private record Encoded(String recipient, byte[] value, byte[] indexKey, byte[] idempotencyKey,
                           byte[] idempotencyRecord) {}

    @Override
    public CompletableFuture<Optional<QueuedMessage>> find(String messageId) {
        return RocksStorage.read(() -> {
            byte[] queueKey = storage.get(storage.messageIndex, Keys.messageId(messageId));
            if (queueKey == null) {
                return Optional.empty();
            }
            byte[] message = storage.get(storage.queues, queueKey);
            return message == null ? Optional.empty() : Optional.of(Codec.message(message));
        });
    }

    @Override
    public CompletableFuture<List<QueuedMessage>> peek(PhoneNumber recipient, int max) {
        if (max <= 0) {
            return CompletableFuture.completedFuture(List.of());
        }
        return RocksStorage.read(() -> {
            List<QueuedMessage> oldest = new ArrayList<>(Math.min(max, 64));
            storage.scan(storage.queues, Keys.recipientPrefix(recipient.e164()), (key, value) -> {
                oldest.add(Codec.message(value));
                return oldest.size() < max;
            });
            return oldest;
        });
    }

    @Override
    public CompletableFuture<Integer> acknowledge(PhoneNumber recipient, Collection<String> messageIds) {
        byte[] prefix = Keys.recipientPrefix(recipient.e164());
        return storage.write(group -> {
            int removed = 0;
            for (String messageId : messageIds) {
                byte[] indexKey = Keys.messageId(messageId);
                byte[] queueKey = group.get(storage.messageIndex, indexKey);
                // Only this recipient's messages: an id of someone else's queue is not found here.
                if (queueKey != null && Keys.startsWith(queueKey, prefix)) {
                    group.delete(storage.queues, queueKey);
                    group.delete(storage.messageIndex, indexKey);
                    removed++;
                }
            }
            return removed;
        });
    }

    @Override
    public CompletableFuture<List<QueuedMessage>> erase(PhoneNumber recipient) {
        byte[] prefix = Keys.recipientPrefix(recipient.e164());
        return storage.write(group -> {
            List<byte[]> keys = new ArrayList<>();
            List<QueuedMessage> removed = new ArrayList<>();
            storage.scan(storage.queues, prefix, (key, value) -> {
                keys.add(key);
                removed.add(Codec.message(value));
                return true;
            });
            for (int i = 0; i < keys.size(); i++) {
                QueuedMessage message = removed.get(i);
                group.delete(storage.queues, keys.get(i));
                group.delete(storage.messageIndex, Keys.messageId(message.messageId()));
                group.delete(storage.idempotency, Keys.idempotency(message.businessId(), message.clientMessageId()));
            }
            return removed;
        });
    }
}
