package org.optline.core.admission;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.optline.core.queue.Accepted;
import org.optline.core.queue.DeliveryLog;
import org.optline.core.storage.memory.InMemoryDeliveryQueues;

/**
 * A delivery log whose appends become safe only when the test says so, in the order they were
 * made: a stand-in for a disk that has not yet synced. A message is visible in {@link #stored()}
 * only once safe.
 */
final class ManualDeliveryQueues implements DeliveryLog {
    private record PendingAppend(List<Accepted> messages, CompletableFuture<Void> safe) {}

    private final InMemoryDeliveryQueues stored = new InMemoryDeliveryQueues();
    private final ArrayDeque<PendingAppend> pending = new ArrayDeque<>();

    @Override
    public synchronized CompletableFuture<Void> append(List<Accepted> messages) {
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

    /** Fails the oldest pending append with {@code failure}: nothing of it was stored. */
    void failNext(Throwable failure) {
        PendingAppend append;
        synchronized (this) {
            append = pending.removeFirst();
        }
        append.safe().completeExceptionally(failure);
    }

    /** What was made safe, as the inbox shows it. */
    InMemoryDeliveryQueues stored() {
        return stored;
    }
}
