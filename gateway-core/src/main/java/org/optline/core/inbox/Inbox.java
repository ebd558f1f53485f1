package org.optline.core.inbox;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.recipient.PhoneNumber;

/**
 * The read side of delivery: each recipient's queue in acceptance order, as the delivery side
 * reads and acknowledges it. An engine may serve it from the same store as the
 * {@link org.optline.core.queue.DeliveryLog} or from a view it builds of that log.
 */
public interface Inbox {

    /** Up to {@code max} of the recipient's oldest queued messages, oldest first. */
    CompletableFuture<List<QueuedMessage>> peek(PhoneNumber recipient, int max);

    /** A message that is still queued. */
    CompletableFuture<Optional<QueuedMessage>> find(String messageId);

    /** Removes delivered messages from the recipient's queue; completes with how many were removed. */
    CompletableFuture<Integer> acknowledge(PhoneNumber recipient, Collection<String> messageIds);

    /**
     * Right to erasure: removes the recipient's whole queue, and with each message its
     * idempotency record. Completes, when durable, with what was removed.
     */
    CompletableFuture<List<QueuedMessage>> erase(PhoneNumber recipient);
}
