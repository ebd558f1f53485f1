package org.optline.core.webhook;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Where a business wants its messages' state changes sent, and the secrets that sign them: the
 * current one first, then any rotated-out one still in its overlap.
 */
public record WebhookRegistration(String businessId, URI url, List<WebhookSecret> secrets, Instant registeredAt) {
    public WebhookRegistration {
        Objects.requireNonNull(businessId);
        Objects.requireNonNull(url);
        Objects.requireNonNull(registeredAt);
        secrets = List.copyOf(secrets);
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("a webhook needs a signing secret");
        }
    }

    /** The secrets that sign at {@code now}: the current one, and a rotated-out one in its overlap. */
    public List<WebhookSecret> signingSecrets(Instant now) {
        return secrets.stream().filter(secret -> secret.isValidAt(now)).toList();
    }
}
