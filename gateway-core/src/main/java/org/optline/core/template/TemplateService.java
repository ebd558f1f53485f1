package org.optline.core.template;

import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.optline.core.message.Category;
import org.optline.core.storage.StoreExecutor;

/**
 * A business's templates, as it manages them with its own key: register one (reviewed by the
 * classifier), list and read them, register a new version (reviewed again), delete one. Every
 * change is durable before it is answered and is then in effect for every message, on every
 * connection. The configuration's templates are listed too but are read-only.
 *
 * <p>Changes of one business are made one after another, in the order they arrive (a template
 * registered twice at once gets one version each, never a lost update); reviews and writes run on
 * the store threads.
 */
public final class TemplateService {
    /** Template names: short, and safe in a URL path without encoding. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /**
     * Registered templates per business, so that the registry (in the heap, read by every
     * message) stays bounded: a thousand is more than any business sends distinct notifications.
     */
    public static final int MAX_TEMPLATES_PER_BUSINESS = 1_000;

    private final TemplateRegistry registry;
    private final TemplateStore store;
    private final TemplateReview review;
    private final StoreExecutor executor;
    private final InstantSource clock;
    private final int maxTextLength;
    private final Map<String, CompletableFuture<?>> lastChange = new ConcurrentHashMap<>();

    public TemplateService(TemplateRegistry registry, TemplateStore store, TemplateReview review,
                           StoreExecutor executor, InstantSource clock, int maxTextLength) {
        this.registry = registry;
        this.store = store;
        this.review = review;
        this.executor = executor;
        this.clock = clock;
        this.maxTextLength = maxTextLength;
        // Changes made through other nodes sharing the store (a no-op on an engine of one node).
        store.watch(new TemplateStore.Changes() {
            @Override
            public void stored(RegisteredTemplate template) {
                registry.put(template);
            }

            @Override
            public void deleted(String businessId, String name) {
                Optional<RegisteredTemplate> present = registry.registered(businessId, name);
                if (present.isPresent() && present.get().source() == RegisteredTemplate.Source.API) {
                    registry.remove(businessId, name);
                }
            }
        });
    }

    /** The answer to a change. */
    public sealed interface Changed {
        /** Registered (or deleted): the template as it now is (as it was, for a deletion). */
        record Done(RegisteredTemplate template) implements Changed {}

        /** The review refused the wording: it reads as spam; {@code reason} says why. */
        record RefusedAsSpam(String reason) implements Changed {}

        /** The request cannot make a template: {@code reason} says what to fix. */
        record Invalid(String reason) implements Changed {}

        /** A registration under a name the business already has: register a new version instead. */
        record AlreadyExists() implements Changed {}

        /** No template of that name. */
        record NotFound() implements Changed {}

        /** The template comes from the node's configuration and only the operator changes it. */
        record Configured() implements Changed {}

        /** The business has {@link #MAX_TEMPLATES_PER_BUSINESS} templates already. */
        record TooMany() implements Changed {}
    }

    /** Registers a new template, version 1. */
    public CompletableFuture<Changed> register(String businessId, String name, Category declared, String text) {
        return serially(businessId, () -> {
            Changed invalid = invalid(name, declared, text);
            if (invalid != null) {
                return done(invalid);
            }
            Optional<RegisteredTemplate> present = registry.registered(businessId, name);
            if (present.isPresent()) {
                return done(present.get().source() == RegisteredTemplate.Source.CONFIGURATION
                        ? new Changed.Configured() : new Changed.AlreadyExists());
            }
            if (registry.count(businessId) >= MAX_TEMPLATES_PER_BUSINESS) {
                return done(new Changed.TooMany());
            }
            return reviewAndStore(businessId, name, declared, text, 1);
        });
    }

    /** Registers a new version of an existing template: the text and declared category replace the old ones. */
    public CompletableFuture<Changed> newVersion(String businessId, String name, Category declared, String text) {
        return serially(businessId, () -> {
            Optional<RegisteredTemplate> present = registry.registered(businessId, name);
            if (present.isEmpty()) {
                return done(new Changed.NotFound());
            }
            if (present.get().source() == RegisteredTemplate.Source.CONFIGURATION) {
                return done(new Changed.Configured());
            }
            Changed invalid = invalid(name, declared, text);
            if (invalid != null) {
                return done(invalid);
            }
            return reviewAndStore(businessId, name, declared, text, present.get().version() + 1);
        });
    }

    /** Deletes a template: messages that name it are UNKNOWN_TEMPLATE from the answer on. */
    public CompletableFuture<Changed> delete(String businessId, String name) {
        return serially(businessId, () -> {
            Optional<RegisteredTemplate> present = registry.registered(businessId, name);
            if (present.isEmpty()) {
                return done(new Changed.NotFound());
            }
            if (present.get().source() == RegisteredTemplate.Source.CONFIGURATION) {
                return done(new Changed.Configured());
            }
            return store.delete(businessId, name).thenApply(deleted -> {
                registry.remove(businessId, name);
                return new Changed.Done(present.get());
            });
        });
    }

    /** The business's template of that name. */
    public Optional<RegisteredTemplate> template(String businessId, String name) {
        return registry.registered(businessId, name);
    }

    /** The business's templates, configured and registered, by name. */
    public List<RegisteredTemplate> templates(String businessId) {
        return registry.list(businessId);
    }

    private CompletableFuture<Changed> reviewAndStore(String businessId, String name, Category declared, String text,
                                                      int version) {
        TemplateReview.Decision decision = review.review(declared, text);
        if (decision instanceof TemplateReview.Decision.Refused refused) {
            return done(new Changed.RefusedAsSpam(refused.reason()));
        }
        TemplateReview.Decision.Registered registered = (TemplateReview.Decision.Registered) decision;
        RegisteredTemplate template = new RegisteredTemplate(businessId,
                new Template(name, registered.category(), text), declared, version, registered.reason(),
                clock.instant(), RegisteredTemplate.Source.API);
        // In effect once durable, and before the answer: the next message on any connection finds it.
        return store.put(template).thenApply(stored -> {
            registry.put(template);
            return new Changed.Done(template);
        });
    }

    private Changed invalid(String name, Category declared, String text) {
        if (name == null || !NAME.matcher(name).matches()) {
            return new Changed.Invalid("name must be 1 to 64 of A-Z, a-z, 0-9, '_' and '-'");
        }
        if (declared == null) {
            return new Changed.Invalid("category is required: TRANSACTIONAL, AUTHENTICATION or MARKETING");
        }
        if (text == null || text.isBlank()) {
            return new Changed.Invalid("text is required");
        }
        if (text.length() > maxTextLength) {
            return new Changed.Invalid("text is longer than " + maxTextLength + " characters");
        }
        if (!isWellFormed(text)) {
            return new Changed.Invalid("the text contains an unpaired UTF-16 surrogate");
        }
        try {
            new Template(name, declared, text);
        } catch (IllegalArgumentException e) {
            return new Changed.Invalid(e.getMessage());
        }
        if (!TemplateReview.hasWording(text)) {
            // Nothing to review: such a template is free text under another name.
            return new Changed.Invalid("a template needs wording of its own besides its placeholders");
        }
        return null;
    }

    private static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** Runs a business's changes one after another, each on a store thread. */
    private <T> CompletableFuture<T> serially(String businessId, Supplier<CompletableFuture<T>> change) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        lastChange.compute(businessId, (id, previous) -> {
            CompletableFuture<?> after = previous == null ? CompletableFuture.completedFuture(null) : previous;
            CompletableFuture<T> next = after.handle((ok, failure) -> null).thenCompose(ready -> executor.call(change));
            next.whenComplete((value, failure) -> {
                if (failure != null) {
                    answer.completeExceptionally(failure);
                } else {
                    answer.complete(value);
                }
            });
            return next;
        });
        return answer;
    }

    private static CompletableFuture<Changed> done(Changed changed) {
        return CompletableFuture.completedFuture(changed);
    }
}
