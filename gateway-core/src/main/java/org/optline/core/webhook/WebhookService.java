package org.optline.core.webhook;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.optline.core.storage.StoreExecutor;

/**
 * A business's webhook, as the business manages it with its own key: register or change the URL,
 * rotate the signing secret (the old one keeps signing for the overlap), remove it, and look at and
 * replay the dead letters. A business only ever sees and changes its own.
 */
public final class WebhookService {
    /** Longer URLs are not callback URLs. */
    public static final int MAX_URL_LENGTH = 2_048;
    /** The most dead letters listed or replayed at once. */
    public static final int MAX_PAGE = 1_000;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final WebhookStore store;
    private final WebhookDispatcher dispatcher;
    private final StoreExecutor executor;
    private final InstantSource clock;
    private final WebhookPolicy policy;

    public WebhookService(WebhookStore store, WebhookDispatcher dispatcher, StoreExecutor executor,
                          InstantSource clock, WebhookPolicy policy) {
        this.store = store;
        this.dispatcher = dispatcher;
        this.executor = executor;
        this.clock = clock;
        this.policy = policy;
    }

    /** What a registration came to: registered, or a URL that cannot be one, with why. */
    public sealed interface Registered {
        record Done(WebhookRegistration registration) implements Registered {}

        record InvalidUrl(String detail) implements Registered {}
    }

    /**
     * Registers the business's webhook URL ({@code http} or {@code https}, absolute); a first
     * registration makes a signing secret, a change of URL keeps the secrets.
     */
    public CompletableFuture<Registered> register(String businessId, String url) {
        Optional<String> invalid = invalidUrl(url);
        if (invalid.isPresent()) {
            return CompletableFuture.completedFuture(new Registered.InvalidUrl(invalid.get()));
        }
        URI uri = URI.create(url);
        Instant now = clock.instant();
        WebhookSecret first = newSecret(now);
        return executor.call(() -> store.update(businessId, existing -> Optional.of(existing
                        .map(old -> new WebhookRegistration(businessId, uri, old.signingSecrets(now), old.registeredAt()))
                        .orElseGet(() -> new WebhookRegistration(businessId, uri, List.of(first), now)))))
                .thenApply(registered -> (Registered) new Registered.Done(registered.orElseThrow()))
                .whenComplete((done, failure) -> dispatcher.wake(businessId));
    }

    /** The business's webhook, with the secrets that sign now. */
    public CompletableFuture<Optional<WebhookRegistration>> registration(String businessId) {
        Instant now = clock.instant();
        return executor.call(() -> store.registration(businessId)).thenApply(found -> found.map(registration ->
                new WebhookRegistration(businessId, registration.url(), registration.signingSecrets(now),
                        registration.registeredAt())));
    }

    /**
     * Makes a new signing secret; the current one keeps signing beside it for the policy's overlap,
     * so both are valid until the receiver has switched. Two secrets at most: a secret rotated out
     * earlier and still in its overlap stops signing now. Concurrent rotations are applied one after
     * the other, none lost. Empty when the business has no webhook.
     */
    public CompletableFuture<Optional<WebhookRegistration>> rotateSecret(String businessId) {
        Instant now = clock.instant();
        WebhookSecret fresh = newSecret(now);
        return executor.call(() -> store.update(businessId, found -> found.map(old -> rotated(old, fresh, now))));
    }

    private WebhookRegistration rotated(WebhookRegistration old, WebhookSecret fresh, Instant now) {
        List<WebhookSecret> secrets = new ArrayList<>(2);
        secrets.add(fresh);
        // The one that signed alone until now (the first listed), for the overlap.
        WebhookSecret current = old.signingSecrets(now).stream().findFirst().orElse(null);
        Instant retires = now.plus(policy.secretOverlap());
        if (current != null && retires.isAfter(now)) {
            secrets.add(new WebhookSecret(current.id(), current.secret(), current.createdAt(), retires));
        }
        return new WebhookRegistration(old.businessId(), old.url(), secrets, old.registeredAt());
    }

    /** Removes the business's webhook, its pending events and its dead letters. */
    public CompletableFuture<Void> unregister(String businessId) {
        return executor.call(() -> store.unregister(businessId));
    }

    /** The business's oldest dead letters, at most {@code max}. */
    public CompletableFuture<List<OutboxEvent>> deadLetters(String businessId, int max) {
        if (max < 1 || max > MAX_PAGE) {
            throw new IllegalArgumentException("a page holds 1 to " + MAX_PAGE + " events");
        }
        return executor.call(() -> store.deadLetters(businessId, max));
    }

    /** Sends up to {@code max} dead letters again, oldest first, after what is pending; completes with how many. */
    public CompletableFuture<Integer> replay(String businessId, int max) {
        if (max < 1 || max > MAX_PAGE) {
            throw new IllegalArgumentException("replay 1 to " + MAX_PAGE + " events at once");
        }
        return executor.call(() -> store.replay(businessId, max)).whenComplete((moved, failure) -> {
            if (failure == null && moved > 0) {
                dispatcher.wake(businessId);
            }
        });
    }

    static Optional<String> invalidUrl(String url) {
        if (url == null || url.isEmpty()) {
            return Optional.of("url is required");
        }
        if (url.length() > MAX_URL_LENGTH) {
            return Optional.of("url is longer than " + MAX_URL_LENGTH + " characters");
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                return Optional.of("url must be http:// or https://");
            }
            if (uri.getHost() == null || uri.getHost().isEmpty()) {
                return Optional.of("url must name a host");
            }
            if (uri.getRawUserInfo() != null) {
                return Optional.of("url must not carry credentials; requests are signed instead");
            }
            if (uri.getRawFragment() != null) {
                return Optional.of("url must not have a fragment");
            }
            return Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.of("url is not a valid absolute URL");
        }
    }

    private static WebhookSecret newSecret(Instant now) {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        byte[] id = new byte[6];
        RANDOM.nextBytes(id);
        return new WebhookSecret("sec_" + HexFormat.of().formatHex(id),
                "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(key), now, null);
    }
}
