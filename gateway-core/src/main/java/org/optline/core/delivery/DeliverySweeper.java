package org.optline.core.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.optline.core.inbox.Inbox;
import org.optline.core.inbox.InboxService;
import org.optline.core.storage.StoreExecutor;
import org.optline.core.webhook.WebhookDispatcher;

/**
 * The periodic work of the delivery side, run every tick (a second by default) against the
 * gateway's clock: messages whose time to live passed leave their queues as EXPIRED even if
 * nobody reads them (so their sender hears it), statuses and webhook dead letters past their
 * retention go, waiting readers
 * look again where a lease ran out, and webhook retries whose back-off is over are sent.
 *
 * <p>One tick at a time. A tick sweeps in batches, one store write each, and takes the next batch
 * while the last one came back full, so that it keeps up with a busy node; other store work takes
 * turns with it between batches. It stops when its time budget is spent and reports that it is
 * behind; the next tick goes on from there.
 */
public final class DeliverySweeper {
    /** Per store write: small enough to keep one write short, and a tick takes as many as it needs. */
    static final int BATCH = 1_000;

    private final Inbox inbox;
    private final MessageHistory history;
    private final InboxService inboxService;
    private final WebhookDispatcher webhooks;
    private final StoreExecutor store;
    private final InstantSource clock;
    private final DeliveryPolicy policy;
    private final DeliveryListener listener;
    private final Duration budget;
    private final LongSupplier nanoTime;
    private final AtomicBoolean running = new AtomicBoolean();

    /**
     * @param budget how long one tick may keep sweeping (wall time, not the gateway's clock: it
     *     bounds the work, not a time in a message's life); the tick's period is a natural choice
     */
    public DeliverySweeper(Inbox inbox, MessageHistory history, InboxService inboxService, WebhookDispatcher webhooks,
                           StoreExecutor store, InstantSource clock, DeliveryPolicy policy, DeliveryListener listener,
                           Duration budget) {
        this(inbox, history, inboxService, webhooks, store, clock, policy, listener, budget, System::nanoTime);
    }

    DeliverySweeper(Inbox inbox, MessageHistory history, InboxService inboxService, WebhookDispatcher webhooks,
                    StoreExecutor store, InstantSource clock, DeliveryPolicy policy, DeliveryListener listener,
                    Duration budget, LongSupplier nanoTime) {
        this.inbox = inbox;
        this.history = history;
        this.inboxService = inboxService;
        this.webhooks = webhooks;
        this.store = store;
        this.clock = clock;
        this.policy = policy;
        this.listener = listener;
        this.budget = budget;
        this.nanoTime = nanoTime;
    }

    /** One tick; completes when its store work is done. Never throws: a failure waits for the next tick. */
    public CompletableFuture<Void> tick() {
        try {
            // Every tick, even while the last tick's sweeps still run: a long-poll's deadline is due now.
            inboxService.tick();
        } catch (RuntimeException e) {
            listener.onFailure(e);
        }
        if (!running.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        Instant now = clock.instant();
        long deadline = nanoTime.getAsLong() + budget.toNanos();
        CompletableFuture<Void> done;
        try {
            done = expire(now, deadline)
                    .thenCompose(expiriesLeft -> purge(now.minus(policy.statusRetention()), deadline)
                            .thenApply(statusesLeft -> expiriesLeft || statusesLeft))
                    .thenCompose(behind -> dropDeadLetters(now, deadline).thenApply(left -> behind || left))
                    .thenCompose(behind -> {
                        listener.onSwept(behind);
                        return webhooks.tick();
                    });
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
        }
        return done.handle((ok, failure) -> {
            running.set(false);
            if (failure != null && !(failure.getCause() instanceof StoreExecutor.StoreBusyException)) {
                listener.onFailure(failure);
            }
            return null;
        });
    }

    /** Expires batch after batch; completes with true when the budget ran out with more due. */
    private CompletableFuture<Boolean> expire(Instant now, long deadline) {
        return store.call(() -> inbox.expire(now, BATCH)).thenCompose(expired -> {
            if (!expired.transitions().isEmpty()) {
                listener.onTransitions(expired.transitions());
            }
            if (!expired.more()) {
                return CompletableFuture.completedFuture(false);
            }
            return spent(deadline) ? CompletableFuture.completedFuture(true) : expire(now, deadline);
        });
    }

    /** Forgets statuses past their retention batch after batch, like {@link #expire}. */
    private CompletableFuture<Boolean> purge(Instant leftBefore, long deadline) {
        return store.call(() -> history.purge(leftBefore, BATCH)).thenCompose(purged -> {
            if (!purged.more()) {
                return CompletableFuture.completedFuture(false);
            }
            return spent(deadline) ? CompletableFuture.completedFuture(true) : purge(leftBefore, deadline);
        });
    }

    /** Forgets dead letters past their retention batch after batch, like {@link #expire}. */
    private CompletableFuture<Boolean> dropDeadLetters(Instant now, long deadline) {
        return webhooks.dropDeadLetters(now, BATCH).thenCompose(more -> !more ? CompletableFuture.completedFuture(false)
                : spent(deadline) ? CompletableFuture.completedFuture(true) : dropDeadLetters(now, deadline));
    }

    private boolean spent(long deadline) {
        return nanoTime.getAsLong() - deadline >= 0;
    }
}
