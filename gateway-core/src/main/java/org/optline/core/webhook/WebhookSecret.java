package org.optline.core.webhook;

import java.time.Instant;
import java.util.Objects;

/**
 * One signing secret of a business's webhook. A rotated-out secret keeps signing until
 * {@code retiresAt}, so a receiver can switch over without missing an event.
 *
 * @param retiresAt when the secret stops signing; null while it is the current one
 */
public record WebhookSecret(String id, String secret, Instant createdAt, Instant retiresAt) {
    public WebhookSecret {
        Objects.requireNonNull(id);
        Objects.requireNonNull(secret);
        Objects.requireNonNull(createdAt);
    }

    public boolean isValidAt(Instant now) {
        return retiresAt == null || now.isBefore(retiresAt);
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "WebhookSecret[" + id + ", created " + createdAt + (retiresAt == null ? "" : ", retires " + retiresAt) + "]";
    }
}
