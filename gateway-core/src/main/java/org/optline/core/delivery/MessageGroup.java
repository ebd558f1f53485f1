package org.optline.core.delivery;

import java.util.Objects;
import org.optline.core.message.Category;
import org.optline.core.queue.QueuedMessage;

/**
 * The messages of one recipient's queue whose order the inbox keeps whatever happens: one
 * business's messages of one category (SQS FIFO calls this a message group). While a reader holds
 * a message of a group, no other reader gets a later message of that group, so a reader that
 * crashes never lets a later message overtake the one it held.
 */
public record MessageGroup(String businessId, Category category) {
    public MessageGroup {
        Objects.requireNonNull(businessId);
        Objects.requireNonNull(category);
    }

    public static MessageGroup of(QueuedMessage message) {
        return new MessageGroup(message.businessId(), message.category());
    }
}
