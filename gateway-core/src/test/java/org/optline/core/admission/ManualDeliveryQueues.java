package org.optline.core.admission;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.optline.core.queue.DeliveryQueues;
import org.optline.core.queue.InMemoryDeliveryQueues;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.recipient.PhoneNumber;

/**
 * Delivery queues whose appends become safe only when the test says so, in the order they were
 * made: a stand-in for a disk that has not yet synced. A message is visible only once safe.
 */
final class ManualDeliveryQueues implements DeliveryQueues {
    private record PendingAppend(List<QueuedMessage> messages, CompletableFuture<Void> safe) {}

    private final InMemoryDeliveryQueues stored = new InMemoryDeliveryQueues();
    private final ArrayDeque<PendingAppend> pending = new ArrayDeque<>();

    @Override
    public synchronized CompletableFuture<Void> append(List<QueuedMessage> messages) {
        PendingAppend append = new PendingAppend(List.copyOf(messages), new CompletableFuture<>());
        pending.addLast(append);
        return append.safe();
    }

    /** How many appends wait for {@link #completeNext()} or {@link #failNext()}. */
    synchronized int pendingAppends() {
        return pending.size();
    }

    /** Makes the oldest pending append safe. */
    void completeNext() {
        PendingAppend append;
        synchronized (this) {
            append = pending.removeFirst();
        }
        stored.append(append.messages());
        append.safe().complete(null);
    }

    /** Fails the oldest pending append: nothing of it was stored. */
    void failNext() {
        PendingAppend append;
        synchronized (this) {
            append = pending.removeFirst();
        }
        append.safe().completeExceptionally(new IOException("disk full"));
    }

    @Override
    public Optional<QueuedMessage> find(String messageId) {
        return stored.find(messageId);
    }

    @Override
    public List<QueuedMessage> peek(PhoneNumber recipient, int max) {
        return stored.peek(recipient, max);
    }

    @Override
    public int acknowledge(PhoneNumber recipient, Collection<String> messageIds) {
        return stored.acknowledge(recipient, messageIds);
    }

    @Override
    public CompletableFuture<List<QueuedMessage>> erase(PhoneNumber recipient) {
        return stored.erase(recipient);
    }
}
