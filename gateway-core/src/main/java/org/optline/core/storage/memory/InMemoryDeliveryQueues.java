package org.optline.core.storage.memory;

import static java.util.concurrent.CompletableFuture.completedFuture;

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
import org.optline.core.inbox.Inbox;
import org.optline.core.queue.Accepted;
import org.optline.core.queue.DeliveryLog;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.recipient.PhoneNumber;

/**
 * Delivery queues in the heap, both the log and the inbox: for tests and the explicit ephemeral
 * mode. Nothing here survives a restart, and the heap grows with the queues; the durable engine
 * does neither. The idempotency records that come with appends are not kept: in memory the
 * idempotency window itself is the only record.
 */
public final class InMemoryDeliveryQueues implements DeliveryLog, Inbox {
    private final Map<PhoneNumber, ArrayDeque<QueuedMessage>> queues = new ConcurrentHashMap<>();
    private final Map<String, QueuedMessage> byId = new ConcurrentHashMap<>();

    @Override
    public CompletableFuture<Void> append(List<Accepted> accepted) {
        for (Accepted each : accepted) {
            QueuedMessage message = each.message();
            ArrayDeque<QueuedMessage> queue = queues.computeIfAbsent(message.recipient(), r -> new ArrayDeque<>());
            synchronized (queue) {
                queue.addLast(message);
                byId.put(message.messageId(), message);
            }
        }
        return completedFuture(null);
    }

    @Override
    public CompletableFuture<Optional<QueuedMessage>> find(String messageId) {
        return completedFuture(Optional.ofNullable(byId.get(messageId)));
    }

    @Override
    public CompletableFuture<List<QueuedMessage>> peek(PhoneNumber recipient, int max) {
        ArrayDeque<QueuedMessage> queue = queues.get(recipient);
        if (queue == null) {
            return completedFuture(List.of());
        }
        synchronized (queue) {
            List<QueuedMessage> oldest = new ArrayList<>(Math.min(max, queue.size()));
            for (QueuedMessage message : queue) {
                if (oldest.size() == max) {
                    break;
                }
                oldest.add(message);
            }
            return completedFuture(oldest);
        }
    }

    @Override
    public CompletableFuture<Integer> acknowledge(PhoneNumber recipient, Collection<String> messageIds) {
        ArrayDeque<QueuedMessage> queue = queues.get(recipient);
        if (queue == null) {
            return completedFuture(0);
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
        return completedFuture(removed);
    }

    @Override
    public CompletableFuture<List<QueuedMessage>> erase(PhoneNumber recipient) {
        ArrayDeque<QueuedMessage> queue = queues.remove(recipient);
        if (queue == null) {
            return completedFuture(List.of());
        }
        synchronized (queue) {
            List<QueuedMessage> removed = new ArrayList<>(queue);
            removed.forEach(message -> byId.remove(message.messageId()));
            return completedFuture(removed);
        }
    }
}
