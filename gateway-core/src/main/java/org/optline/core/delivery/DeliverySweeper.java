package org.optline.core.delivery;

import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.optline.core.inbox.Inbox;
import org.optline.core.inbox.InboxService;
import org.optline.core.storage.StoreExecutor;
import org.optline.core.webhook.WebhookDispatcher;

/**
 * The periodic work of the delivery side, run every tick (a second by default) against the
 * gateway's clock: messages whose time to live passed leave their queues as EXPIRED even if
 * nobody reads them (so their sender hears it), statuses past their retention go, waiting readers
 * look again where a lease ran out, and webhook retries whose back-off is over are sent. One tick
 * at a time; a tick that finds a full batch leaves the rest to the next one.
 */
public final class DeliverySweeper {
    /** Per tick: enough to keep up with a busy node, small enough to keep one store write short. */
    static final int BATCH = 1_000;

    private final Inbox inbox;
    private final MessageHistory history;
    private final InboxService inboxService;
    private final WebhookDispatcher webhooks;
    private final StoreExecutor store;
    private final InstantSource clock;
    private final DeliveryPolicy policy;
    private final DeliveryListener listener;
    private final AtomicBoolean running = new AtomicBoolean();

    public DeliverySweeper(Inbox inbox, MessageHistory history, InboxService inboxService, WebhookDispatcher webhooks,
                           StoreExecutor store, InstantSource clock, DeliveryPolicy policy, DeliveryListener listener) {
        this.inbox = inbox;
        this.history = history;
        this.inboxService = inboxService;
        this.webhooks = webhooks;
        this.store = store;
        this.clock = clock;
        this.policy = policy;
        this.listener = listener;
    }

    /** One tick; completes when its store work is done. Never throws: a failure waits for the next tick. */
    public CompletableFuture<Void> tick() {
        if (!running.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        Instant now = clock.instant();
        CompletableFuture<Void> done;
        try {
            inboxService.tick();
            done = store.call(() -> inbox.expire(now, BATCH))
                    .thenAccept(this::expired)
                    .thenCompose(ok -> store.call(() -> history.purge(now.minus(policy.statusRetention()), BATCH)))
                    .thenCompose(purged -> webhooks.tick());
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

    private void expired(List<Transition> transitions) {
        if (!transitions.isEmpty()) {
            listener.onTransitions(transitions);
        }
    }
}
