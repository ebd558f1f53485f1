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
        return storage.write(group -> {
            for (QueuedMessage message : messages) {
                byte[] queueKey = Keys.sequenced(message.recipient().e164(), group.nextSequence());
                group.put(storage.queues, queueKey, Codec.message(message));
                group.put(storage.messageIndex, Keys.messageId(message.messageId()), queueKey);
                Outcome accepted = Outcome.accepted(message.clientMessageId(), message.messageId(),
                        message.category(), message.reclassified());
                group.put(storage.idempotency, Keys.idempotency(message.businessId(), message.clientMessageId()),
                        Codec.outcome(accepted, message.acceptedAt()));
            }
            return null;
        });
    }

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
}
