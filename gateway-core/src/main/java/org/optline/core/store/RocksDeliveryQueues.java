package org.optline.core.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.optline.core.message.Outcome;
import org.optline.core.queue.DeliveryQueues;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.recipient.PhoneNumber;

/**
 * Delivery queues on disk. A recipient's queue is the range of keys {@code recipient ‖ 0 ‖
 * sequence}, so reading it in acceptance order is one range scan and its depth costs no heap.
 * Each append writes, in one atomic group commit, the message, its id in the message index, and
 * the idempotency record of its client_message_id: after a crash all three are there or none.
 */
public final class RocksDeliveryQueues implements DeliveryQueues {
    private final RocksStorage storage;

    public RocksDeliveryQueues(RocksStorage storage) {
        this.storage = storage;
    }

    @Override
    public CompletableFuture<Void> append(List<QueuedMessage> messages) {
        // Encoded here, on the caller's thread, so that the one writer thread only copies bytes.
        List<Encoded> encoded = new ArrayList<>(messages.size());
        for (QueuedMessage message : messages) {
            Outcome accepted = Outcome.accepted(message.clientMessageId(), message.messageId(),
                    message.category(), message.reclassified());
            encoded.add(new Encoded(message.recipient().e164(), Codec.message(message),
                    Keys.messageId(message.messageId()),
                    Keys.idempotency(message.businessId(), message.clientMessageId()),
                    Codec.outcome(accepted, message.acceptedAt())));
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
    public Optional<QueuedMessage> find(String messageId) {
        byte[] queueKey = storage.get(storage.messageIndex, Keys.messageId(messageId));
        if (queueKey == null) {
            return Optional.empty();
        }
        byte[] message = storage.get(storage.queues, queueKey);
        return message == null ? Optional.empty() : Optional.of(Codec.message(message));
    }

    @Override
    public List<QueuedMessage> peek(PhoneNumber recipient, int max) {
        if (max <= 0) {
            return List.of();
        }
        List<QueuedMessage> oldest = new ArrayList<>(Math.min(max, 64));
        storage.scan(storage.queues, Keys.recipientPrefix(recipient.e164()), (key, value) -> {
            oldest.add(Codec.message(value));
            return oldest.size() < max;
        });
        return oldest;
    }

    @Override
    public int acknowledge(PhoneNumber recipient, Collection<String> messageIds) {
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
        }).join();
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
