package org.optline.core.idempotency;

import java.time.Instant;
import java.util.Objects;
import org.optline.core.message.Outcome;
import org.optline.core.queue.QueuedMessage;

/**
 * The first outcome of a (business, client_message_id), as kept for the idempotency window,
 * with the time it was decided (the window runs from there).
 */
public record IdempotencyRecord(String businessId, String clientMessageId, Outcome outcome, Instant decidedAt) {
    public IdempotencyRecord {
        Objects.requireNonNull(businessId);
        Objects.requireNonNull(clientMessageId);
        Objects.requireNonNull(outcome);
        Objects.requireNonNull(decidedAt);
    }

    /** The record of an accepted message: its ACCEPTED outcome, decided when it was accepted. */
    public static IdempotencyRecord acceptance(QueuedMessage message) {
        return new IdempotencyRecord(message.businessId(), message.clientMessageId(),
                Outcome.accepted(message.clientMessageId(), message.messageId(), message.category(),
                        message.reclassified()),
                message.acceptedAt());
    }
}
