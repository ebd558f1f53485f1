package org.optline.core.queue;

import java.util.Objects;
import org.optline.core.idempotency.IdempotencyRecord;
import org.optline.core.limit.AntiSpamCounts;

/**
 * A message that admission accepted, with the idempotency record that answers a retry of it and
 * what it counted against the anti-spam limits: the three are written together, never one
 * without the others.
 */
public record Accepted(QueuedMessage message, IdempotencyRecord idempotency, AntiSpamCounts counts) {
    public Accepted {
        Objects.requireNonNull(message);
        Objects.requireNonNull(idempotency);
        Objects.requireNonNull(counts);
    }

    /** A message that counted against no limit. */
    public Accepted(QueuedMessage message, IdempotencyRecord idempotency) {
        this(message, idempotency, AntiSpamCounts.NONE);
    }

    /** The message with the record its ACCEPTED outcome makes. */
    public static Accepted of(QueuedMessage message) {
        return new Accepted(message, IdempotencyRecord.acceptance(message));
    }
}
