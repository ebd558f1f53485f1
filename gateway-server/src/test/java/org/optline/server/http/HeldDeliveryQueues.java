package org.optline.server.http;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.optline.core.delivery.Settlement;
import org.optline.core.delivery.Transition;
import org.optline.core.inbox.Inbox;
import org.optline.core.queue.Accepted;
import org.optline.core.queue.DeliveryLog;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.storage.memory.InMemoryDeliveryQueues;
import org.optline.core.recipient.PhoneNumber;

/**
 * Delivery queues whose appends are not safe until the test says so: each append is stored at
 * once (in memory) but its future is held until {@link Append#complete()}, like a disk that is
 * slow to sync. This is how the tests reach OVERLOADED and an in-flight shutdown without timing.
 */
final class HeldDeliveryQueues implements DeliveryLog, Inbox {
    private final InMemoryDeliveryQueues storage = new InMemoryDeliveryQueues();
    private final BlockingQueue<Append> held = new LinkedBlockingQueue<>();

    /** One append waiting to be made safe. */
    static final class Append {
        private final List<QueuedMessage> messages;
        private final CompletableFuture<Void> safe = new CompletableFuture<>();

        private Append(List<Accepted> accepted) {
            this.messages = accepted.stream().map(Accepted::message).toList();
        }

        List<QueuedMessage> messages() {
            return messages;
        }

        void complete() {
            safe.complete(null);
        }
    }

    @Override
    public CompletableFuture<Void> append(List<Accepted> messages) {
        Append append = new Append(messages);
        CompletableFuture<Void> stored = storage.append(messages).thenCompose(ok -> append.safe);
        held.add(append);
        return stored;
    }

    /** The next append the gateway made, waiting at most ten seconds for it. */
    Append nextAppend() throws InterruptedException {
        Append append = held.poll(10, TimeUnit.SECONDS);
        if (append == null) {
            throw new AssertionError("no append reached the delivery queues within ten seconds");
        }
        return append;
    }

    /** True when no append is waiting for the test. */
    boolean noneHeld() {
        return held.isEmpty();
    }

    @Override
    public CompletableFuture<Optional<QueuedMessage>> find(String messageId) {
        return storage.find(messageId);
    }

    @Override
    public CompletableFuture<List<QueuedMessage>> peek(PhoneNumber recipient, int max) {
        return storage.peek(recipient, max);
    }

    @Override
    public CompletableFuture<Leased> lease(PhoneNumber recipient, long holder, int max, Instant now,
                                           Duration leaseFor) {
        return storage.lease(recipient, holder, max, now, leaseFor);
    }

    @Override
    public CompletableFuture<Void> release(PhoneNumber recipient, long holder, Collection<String> messageIds) {
        return storage.release(recipient, holder, messageIds);
    }

    @Override
    public CompletableFuture<List<Transition>> settle(PhoneNumber recipient, Collection<String> messageIds,
                                                      Settlement settlement, Instant at) {
        return storage.settle(recipient, messageIds, settlement, at);
    }

    @Override
    public CompletableFuture<Expired> expire(Instant now, int max) {
        return storage.expire(now, max);
    }

    @Override
    public CompletableFuture<List<QueuedMessage>> erase(PhoneNumber recipient) {
        return storage.erase(recipient);
    }
}
