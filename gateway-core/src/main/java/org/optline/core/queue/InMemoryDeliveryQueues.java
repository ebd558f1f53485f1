package org.optline.core.queue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.optline.core.recipient.PhoneNumber;

/**
 * Delivery queues in the heap: for tests and the explicit ephemeral mode. Nothing here
 * survives a restart, and the heap grows with the queues; the durable store does neither.
 */
public final class InMemoryDeliveryQueues implements DeliveryQueues {
    private final Map<PhoneNumber, ArrayDeque<QueuedMessage>> queues = new ConcurrentHashMap<>();
    private final Map<String, QueuedMessage> byId = new ConcurrentHashMap<>();

    @Override
    public CompletableFuture<Void> append(List<QueuedMessage> messages) {
        for (QueuedMessage message : messages) {
            ArrayDeque<QueuedMessage> queue = queues.computeIfAbsent(message.recipient(), r -> new ArrayDeque<>());
            synchronized (queue) {
                queue.addLast(message);
                byId.put(message.messageId(), message);
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public Optional<QueuedMessage> find(String messageId) {
        return Optional.ofNullable(byId.get(messageId));
    }

    @Override
    public List<QueuedMessage> peek(PhoneNumber recipient, int max) {
        ArrayDeque<QueuedMessage> queue = queues.get(recipient);
        if (queue == null) {
            return List.of();
        }
        synchronized (queue) {
            List<QueuedMessage> oldest = new ArrayList<>(Math.min(max, queue.size()));
            for (QueuedMessage message : queue) {
                if (oldest.size() == max) {
                    break;
                }
                oldest.add(message);
            }
            return oldest;
        }
    }

    @Override
    public int acknowledge(PhoneNumber recipient, Collection<String> messageIds) {
        ArrayDeque<QueuedMessage> queue = queues.get(recipient);
        if (queue == null) {
            return 0;
        }
        Set<String> ids = new HashSet<>(messageIds);
        int removed = 0;
        synchronized (queue) {
            var it = queue.iterator();
            while (it.hasNext()) {
                QueuedMessage message = it.next();
                if (ids.contains(message.messageId())) {
                    it.remove();
                    byId.remove(message.messageId());
                    removed++;
                }
            }
        }
        return removed;
    }

    @Override
    public CompletableFuture<List<QueuedMessage>> erase(PhoneNumber recipient) {
        ArrayDeque<QueuedMessage> queue = queues.remove(recipient);
        if (queue == null) {
            return CompletableFuture.completedFuture(List.of());
        }
        synchronized (queue) {
            List<QueuedMessage> removed = new ArrayList<>(queue);
            removed.forEach(message -> byId.remove(message.messageId()));
            return CompletableFuture.completedFuture(removed);
        }
    }
}
