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
     * Appends accepted messages, each with the idempotency record of its client_message_id and the
     * anti-spam counts it took ({@link Accepted#counts()}, kept by the engine's
     * {@link org.optline.core.limit.LimitStore}), in one atomic step: after a crash all are there
     * or none. The future completes when every message is safe (on stable storage for a durable
     * engine) and fails when none is.
     */
    CompletableFuture<Void> append(List<Accepted> accepted);
}
