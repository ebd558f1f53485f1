package org.optline.core.delivery;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The statuses of messages, as their senders read them: of a queued message, from its queue; of a
 * message that left its queue, from the record its last {@link Transition} left, kept for the
 * status retention. Written by the {@link org.optline.core.inbox.Inbox}'s transitions.
 */
public interface MessageHistory {

    /** The message's record, queued or retained. */
    CompletableFuture<Optional<MessageRecord>> record(String messageId);

    /**
     * The record of the latest accepted message under this (business, client_message_id), queued or
     * retained.
     */
    CompletableFuture<Optional<MessageRecord>> recordByClientMessageId(String businessId, String clientMessageId);

    /**
     * Forgets up to {@code max} records of messages that left their queue before {@code leftBefore}
     * (now minus the retention); completes with how many went and whether more may be due.
     */
    CompletableFuture<Purged> purge(Instant leftBefore, int max);

    /** What one retention sweep did: how many records it forgot, and whether it stopped at its {@code max}. */
    record Purged(int purged, boolean more) {}
}
