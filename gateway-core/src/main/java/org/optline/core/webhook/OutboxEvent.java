package org.optline.core.webhook;

import java.util.Locale;
import java.util.Objects;
import org.optline.core.delivery.Transition;

/**
 * A transition waiting in its business's webhook outbox, under a sequence number that orders the
 * business's events: the order in which they were made durable, hence in order per message.
 */
public record OutboxEvent(long sequence, Transition transition) {
    public OutboxEvent {
        Objects.requireNonNull(transition);
    }

    /** Stable across retries and replays, so that a receiver can drop a repeat. */
    public String eventId() {
        return transition.messageId() + "." + transition.state().name().toLowerCase(Locale.ROOT);
    }
}
