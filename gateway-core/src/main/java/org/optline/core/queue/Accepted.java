package org.optline.core.queue;

import java.util.Objects;
import org.optline.core.idempotency.IdempotencyRecord;

/**
 * A message that admission accepted, with the idempotency record that answers a retry of it:
 * the two are written together, never one without the other.
 */
public record Accepted(QueuedMessage message, IdempotencyRecord idempotency) {
    public Accepted {
        Objects.requireNonNull(message);
        Objects.requireNonNull(idempotency);
    }

    /** The message with the record its ACCEPTED outcome makes. */
    public static Accepted of(QueuedMessage message) {
        return new Accepted(message, IdempotencyRecord.acceptance(message));
    }
}
