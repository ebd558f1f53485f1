package org.optline.core.queue;

import java.time.Instant;
import org.optline.core.message.Category;
import org.optline.core.recipient.PhoneNumber;

/**
 * A message accepted into a recipient's delivery queue, with the text as it will be delivered.
 * It carries what its ACCEPTED outcome said, so that a durable queue can answer a retry of the
 * same client_message_id after a restart.
 */
public record QueuedMessage(
        String messageId,
        String businessId,
        String clientMessageId,
        PhoneNumber recipient,
        Category category,
        boolean reclassified,
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
