package org.optline.core.webhook;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * The webhook side of a storage engine: each business's registration, its outbox of transitions
 * not yet acknowledged by its receiver, and its dead letters. The outbox is written by the
 * {@link org.optline.core.inbox.Inbox}'s transitions, in the same atomic step; what is read and
 * removed here is in sequence order. Dead letters are kept for a retention, then forgotten.
 */
public interface WebhookStore {

    CompletableFuture<Optional<WebhookRegistration>> registration(String businessId);

    /** Registers or replaces (durably) the business's webhook. */
    CompletableFuture<Void> register(WebhookRegistration registration);

    /**
     * Changes the business's webhook in one step that no other change interleaves with: reads it,
     * and durably writes what {@code change} makes of it (nothing when it makes nothing).
     * {@code change} must be quick and pure: an engine may run it on its writer. Completes with the
     * webhook as changed.
     */
    CompletableFuture<Optional<WebhookRegistration>> update(String businessId,
            UnaryOperator<Optional<WebhookRegistration>> change);

    /** Removes the registration, and the business's outbox and dead letters with it. */
    CompletableFuture<Void> unregister(String businessId);

    /** The businesses whose outbox has events. */
    CompletableFuture<Set<String>> businessesWithEvents();

    /** The oldest {@code max} events of the business's outbox, oldest first. */
    CompletableFuture<List<OutboxEvent>> pending(String businessId, int max);

    /** Removes the business's outbox events up to and including {@code sequence}: they were delivered. */
    CompletableFuture<Void> remove(String businessId, long throughSequence);

    /** Moves the business's outbox events up to and including {@code sequence} to its dead letters. */
    CompletableFuture<Void> deadLetter(String businessId, long throughSequence);

    /** The oldest {@code max} dead letters of the business. */
    CompletableFuture<List<OutboxEvent>> deadLetters(String businessId, int max);

    /**
     * Moves up to {@code max} of the business's dead letters, oldest first, back to the end of its
     * outbox; completes with how many moved.
     */
    CompletableFuture<Integer> replay(String businessId, int max);

    /**
     * Forgets up to {@code max} dead letters, of every business, that report a change made before
     * {@code before}; completes with how many went and whether more may be due.
     */
    CompletableFuture<Dropped> dropDeadLetters(Instant before, int max);

    /** What one dead-letter sweep did. */
    record Dropped(int dropped, boolean more) {}
}
