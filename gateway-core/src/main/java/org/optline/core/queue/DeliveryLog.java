package org.optline.core.queue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.optline.core.message.Outcome;

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

    /**
     * Appends like {@link #append} and answers each message's outcome, in order, as the log decided
     * it: its own ACCEPTED outcome when it is queued. A log that several nodes write (Kafka) may
     * find, in its own order, that a message repeats an earlier one under the same
     * (business, client_message_id), a retry made on another node: it queues nothing for it and
     * answers the first outcome, marked duplicate. It may also answer a retryable outcome for a
     * message it could not take, when it takes each message on its own rather than the batch as a
     * whole. A log written by one node only queues, and answers every message's own outcome.
     */
    default CompletableFuture<List<Outcome>> appendDecided(List<Accepted> accepted) {
        return append(accepted).thenApply(done -> accepted.stream().map(each -> each.idempotency().outcome()).toList());
    }
}
