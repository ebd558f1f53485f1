package org.optline.core.webhook;

import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;
import org.optline.core.delivery.DeliveryListener;
import org.optline.core.delivery.Transition;
import org.optline.core.storage.StoreExecutor;

/**
 * Sends each business's outbox to its webhook, in order, at least once: one request at a time per
 * business, carrying the oldest events (up to a batch, so a backlog drains in batches); the events
 * leave the outbox only after the receiver answered 2xx. A failed request is retried, the same
 * events first, after an exponential back-off with jitter measured on the gateway's clock; after
 * the last attempt its events go to the dead letters and the next ones are sent. The outbox is on
 * disk with the durable engine, so a restart, even after {@code kill -9}, resumes from it.
 *
 * <p>A slow or dead receiver holds up only its own business's events: admission never waits for a
 * webhook, and a business's pending events cost disk, not heap.
 */
public final class WebhookDispatcher implements DeliveryListener {
    private final WebhookStore store;
    private final WebhookTransport transport;
    private final StoreExecutor executor;
    private final InstantSource clock;
    private final WebhookPolicy policy;
    private final DeliveryListener listener;
    private final DoubleSupplier random;
    /** One per business that ever had events: bounded by the configured businesses. */
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();

    public WebhookDispatcher(WebhookStore store, WebhookTransport transport, StoreExecutor executor,
                             InstantSource clock, WebhookPolicy policy, DeliveryListener listener,
                             DoubleSupplier random) {
        this.store = store;
        this.transport = transport;
        this.executor = executor;
        this.clock = clock;
        this.policy = policy;
        this.listener = listener;
        this.random = random;
    }

    /** New events in these businesses' outboxes: send now unless a request is out or a back-off runs. */
    @Override
    public void onTransitions(List<Transition> transitions) {
        Set<String> businesses = new LinkedHashSet<>();
        for (Transition transition : transitions) {
            businesses.add(transition.businessId());
        }
        businesses.forEach(this::wake);
    }

    /** Looks at the business's outbox now (after a replay, a registration). */
    public void wake(String businessId) {
        lanes.computeIfAbsent(businessId, Lane::new).wake();
    }

    /** The periodic look: every business with events whose back-off is over (after a restart, every one). */
    public CompletableFuture<Void> tick() {
        return executor.call(store::businessesWithEvents).thenAccept(businesses -> businesses.forEach(this::wake));
    }

    /**
     * Forgets up to {@code max} dead letters past the policy's retention at {@code now}; completes
     * with whether more may be due.
     */
    public CompletableFuture<Boolean> dropDeadLetters(Instant now, int max) {
        return executor.call(() -> store.dropDeadLetters(now.minus(policy.deadLetterRetention()), max))
                .thenApply(WebhookStore.Dropped::more);
    }

    /** One business's events: at most one request out, and its back-off. */
    private final class Lane {
        private final String businessId;
        private boolean busy;
        private int failures;
        private Instant notBefore = Instant.MIN;

        Lane(String businessId) {
            this.businessId = businessId;
        }

        void wake() {
            synchronized (this) {
                if (busy || clock.instant().isBefore(notBefore)) {
                    return;
                }
                busy = true;
            }
            sendNext();
        }

        private void sendNext() {
            executor.call(() -> store.pending(businessId, policy.maxBatch()))
                    .thenCompose(events -> events.isEmpty() ? CompletableFuture.completedFuture(false)
                            : executor.call(() -> store.registration(businessId))
                                    .thenCompose(registration -> registration.isEmpty()
                                            // No webhook: nobody to tell; the events go.
                                            ? executor.call(() -> store.remove(businessId, last(events))).thenApply(ok -> true)
                                            : attempt(registration.get(), events)))
                    .whenComplete((more, failure) -> {
                        if (failure == null && more) {
                            sendNext();
                            return;
                        }
                        synchronized (this) {
                            busy = false;
                        }
                        // The store threads were all busy: the next tick or transition tries again, which
                        // is no failure worth a log line each time.
                        if (failure != null && !(unwrapped(failure) instanceof StoreExecutor.StoreBusyException)) {
                            listener.onFailure(failure);
                        }
                    });
        }

        /** Sends one batch; completes with true when the next batch may go at once. */
        private CompletableFuture<Boolean> attempt(WebhookRegistration registration, List<OutboxEvent> events) {
            CompletableFuture<Integer> sent;
            try {
                sent = transport.send(registration, events);
            } catch (RuntimeException e) {
                sent = CompletableFuture.failedFuture(e);
            }
            return sent.handle((status, failure) -> {
                boolean delivered = failure == null && status >= 200 && status < 300;
                listener.onWebhookAttempt(delivered ? WebhookAttempt.DELIVERED
                        : failure == null ? WebhookAttempt.REFUSED : WebhookAttempt.UNREACHABLE, events.size());
                return delivered;
            }).thenCompose(delivered -> {
                if (delivered) {
                    synchronized (this) {
                        failures = 0;
                    }
                    return executor.call(() -> store.remove(businessId, last(events))).thenApply(ok -> true);
                }
                int failed;
                synchronized (this) {
                    failed = ++failures;
                }
                if (failed >= policy.maxAttempts()) {
                    synchronized (this) {
                        failures = 0;
                    }
                    return executor.call(() -> store.deadLetter(businessId, last(events))).thenApply(ok -> {
                        listener.onDeadLettered(events.size());
                        return true;
                    });
                }
                synchronized (this) {
                    notBefore = clock.instant().plus(policy.backoff(failed, random.getAsDouble()));
                }
                return CompletableFuture.completedFuture(false);
            });
        }
    }

    private static Throwable unwrapped(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    private static long last(List<OutboxEvent> events) {
        return events.get(events.size() - 1).sequence();
    }
}
