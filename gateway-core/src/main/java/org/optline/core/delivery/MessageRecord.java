package org.optline.core.delivery;

import java.time.Instant;
import java.util.Objects;
import org.optline.core.message.Category;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.recipient.PhoneNumber;

/**
 * A message's life as its sender may read it: its state and when it reached each one. Kept while
 * the message is queued (it is then read from the queue) and for the status retention after it
 * leaves the queue. Timestamps of states not reached are null.
 */
public record MessageRecord(
        String messageId,
        String businessId,
        String clientMessageId,
        PhoneNumber recipient,
        Category category,
        Instant acceptedAt,
        Instant expiresAt,
        MessageState state,
        Instant deliveredAt,
        Instant readAt,
        Instant expiredAt,
        Instant failedAt,
        String failureReason) {

    public MessageRecord {
        Objects.requireNonNull(messageId);
        Objects.requireNonNull(businessId);
        Objects.requireNonNull(recipient);
        Objects.requireNonNull(state);
        Objects.requireNonNull(acceptedAt);
        clientMessageId = Objects.requireNonNullElse(clientMessageId, "");
        failureReason = Objects.requireNonNullElse(failureReason, "");
    }

    /** A message still in its queue. */
    public static MessageRecord queued(QueuedMessage message) {
        return new MessageRecord(message.messageId(), message.businessId(), message.clientMessageId(),
                message.recipient(), message.category(), message.acceptedAt(), message.expiresAt(),
                MessageState.QUEUED, null, null, null, null, "");
    }

    /** This record moved on to {@code next} at {@code at}; {@code reason} only for FAILED. */
    public MessageRecord to(MessageState next, Instant at, String reason) {
        return switch (next) {
            case QUEUED -> throw new IllegalArgumentException("a message never goes back to its queue");
            case DELIVERED -> new MessageRecord(messageId, businessId, clientMessageId, recipient, category, acceptedAt,
                    expiresAt, next, at, readAt, expiredAt, failedAt, "");
            case READ -> new MessageRecord(messageId, businessId, clientMessageId, recipient, category, acceptedAt,
                    expiresAt, next, deliveredAt == null ? at : deliveredAt, at, expiredAt, failedAt, "");
            case EXPIRED -> new MessageRecord(messageId, businessId, clientMessageId, recipient, category, acceptedAt,
                    expiresAt, next, deliveredAt, readAt, at, failedAt, "");
            case FAILED -> new MessageRecord(messageId, businessId, clientMessageId, recipient, category, acceptedAt,
                    expiresAt, next, deliveredAt, readAt, expiredAt, at, reason);
        };
    }

    /** When the message reached its current state. */
    public Instant changedAt() {
        return switch (state) {
            case QUEUED -> acceptedAt;
            case DELIVERED -> deliveredAt;
            case READ -> readAt;
            case EXPIRED -> expiredAt;
            case FAILED -> failedAt;
        };
    }

    /** When the message left its queue (delivered, expired or failed); null while queued. */
    public Instant leftQueueAt() {
        return switch (state) {
            case QUEUED -> null;
            case DELIVERED, READ -> deliveredAt;
            case EXPIRED -> expiredAt;
            case FAILED -> failedAt;
        };
    }

    /** Never prints the recipient in full. */
    @Override
    public String toString() {
        return "MessageRecord[" + messageId + ", " + businessId + ", " + state + ", " + recipient + "]";
    }
}
