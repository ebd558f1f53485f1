package org.optline.core.delivery;

import java.time.Instant;
import java.util.Objects;
import org.optline.core.message.Category;

/**
 * One change of a message's state, as a record: what a webhook event tells the business, what a
 * metric counts, and what an engine built on a log (Kafka) would write. It carries the recipient
 * only masked, so it can go anywhere.
 *
 * @param reason why the delivery side gave up, for FAILED; empty otherwise
 */
public record Transition(
        String messageId,
        String businessId,
        String clientMessageId,
        String recipientMasked,
        Category category,
        MessageState state,
        Instant at,
        Instant acceptedAt,
        String reason) {

    public Transition {
        Objects.requireNonNull(messageId);
        Objects.requireNonNull(businessId);
        Objects.requireNonNull(state);
        Objects.requireNonNull(at);
        reason = Objects.requireNonNullElse(reason, "");
        clientMessageId = Objects.requireNonNullElse(clientMessageId, "");
        recipientMasked = Objects.requireNonNullElse(recipientMasked, "");
    }

    /** The change of a message's record to its current state. */
    public static Transition of(MessageRecord record) {
        return new Transition(record.messageId(), record.businessId(), record.clientMessageId(),
                record.recipient().masked(), record.category(), record.state(), record.changedAt(),
                record.acceptedAt(), record.failureReason());
    }
}
