package org.optline.core.queue;

import java.time.Instant;
import org.optline.core.message.Category;
import org.optline.core.recipient.PhoneNumber;

/**
 * A message accepted into a recipient's delivery queue, with the text as it will be delivered.
 * It carries what its ACCEPTED outcome said, so that a durable queue can answer a retry of the
 * same client_message_id after a restart.
 *
 * @param ttlSeconds the effective time to live, counted from {@code acceptedAt} (the sender's, or
 *     its category's default, within the category's maximum); 0 only for messages accepted
 *     before time to live was enforced, which never expire
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

    /** When the message stops being worth delivering; null when it never does. */
    public Instant expiresAt() {
        return ttlSeconds <= 0 ? null : acceptedAt.plusSeconds(ttlSeconds);
    }

    /** True when its time to live has passed at {@code now}. */
    public boolean isExpiredAt(Instant now) {
        Instant expiresAt = expiresAt();
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /** Never prints the recipient in full nor the text. */
    @Override
    public String toString() {
        return "QueuedMessage[" + messageId + ", " + businessId + ", " + recipient + "]";
    }
}
