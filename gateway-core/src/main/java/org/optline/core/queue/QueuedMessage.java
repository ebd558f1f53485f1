package org.optline.core.queue;

import java.time.Instant;
import org.optline.core.message.Category;
import org.optline.core.recipient.PhoneNumber;

/** A message accepted into a recipient's delivery queue, with the text as it will be delivered. */
public record QueuedMessage(
        String messageId,
        String businessId,
        String clientMessageId,
        PhoneNumber recipient,
        Category category,
        String text,
        Instant acceptedAt,
        int ttlSeconds,
        String campaignId) {

    /** Never prints the recipient in full nor the text. */
    @Override
    public String toString() {
        return "QueuedMessage[" + messageId + ", " + businessId + ", " + recipient + "]";
    }
}
