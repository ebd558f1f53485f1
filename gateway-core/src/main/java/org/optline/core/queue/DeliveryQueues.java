package org.optline.core.queue;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.optline.core.recipient.PhoneNumber;

/**
 * The per-recipient delivery queues. Appends are batched; each recipient's queue keeps the
 * order of the appends. Reads may block briefly (a disk lookup), so they are never called on
 * an event loop.
 */
public interface DeliveryQueues {

    /**
     * Appends messages, in order, to their recipients' queues. The future completes when every
     * message is safe (on stable storage for a durable implementation) and fails when none is.
     */
    CompletableFuture<Void> append(List<QueuedMessage> messages);

    /** A message that is still queued. */
    Optional<QueuedMessage> find(String messageId);

    /** Up to {@code max} of the recipient's oldest queued messages, oldest first. */
    List<QueuedMessage> peek(PhoneNumber recipient, int max);

    /** Removes delivered messages from the recipient's queue; returns how many were removed. */
    int acknowledge(PhoneNumber recipient, Collection<String> messageIds);

    /**
     * Right to erasure: removes the recipient's whole queue, and with each message its
     * idempotency record. The future completes, when durable, with what was removed.
     */
    CompletableFuture<List<QueuedMessage>> erase(PhoneNumber recipient);
}
