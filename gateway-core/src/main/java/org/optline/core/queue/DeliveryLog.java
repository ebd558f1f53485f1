package org.optline.core.queue;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The write side of delivery: accepted messages are appended, in order, to their recipients'
 * queues. Reading and acknowledging is the {@link org.optline.core.inbox.Inbox}'s business, so
 * that an engine may keep the log and the queues apart (a Kafka topic and a materialised view).
 */
public interface DeliveryLog {

    /**
     * Appends accepted messages, each with the idempotency record of its client_message_id, in
     * one atomic step: after a crash both are there or neither. The future completes when every
     * message is safe (on stable storage for a durable engine) and fails when none is.
     */
    CompletableFuture<Void> append(List<Accepted> accepted);
}
