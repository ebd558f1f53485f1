package org.optline.core.inbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.recipient.PhoneNumber;

/**
 * A push subscription to one recipient's messages, whatever carries it (a WebSocket today). It
 * leases messages as they arrive and hands them to its {@link Sink}, in hand-out order, keeping at
 * most {@code window} unacknowledged; an acknowledgement makes room for more. What it holds
 * unacknowledged goes back to the queue when it closes, and comes back to it when a lease runs
 * out, so a reconnect resumes with exactly what was not acknowledged: nothing lost, nothing
 * acknowledged handed out twice.
 */
public final class InboxSubscription extends Waiter {
    /** After the store failed to lease, the first wait before trying again; it doubles up to the lease. */
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);

    /** Where leased messages go: the transport, which must hop to its own thread and never block. */
    @FunctionalInterface
    public interface Sink {
        void push(List<QueuedMessage> messages);

        /**
         * False while the transport cannot take more (a client that does not read fills its
         * buffer): nothing is leased meanwhile, and the transport calls
         * {@link InboxSubscription#wake()} when it can take more again. Called on any thread.
         */
        default boolean ready() {
            return true;
        }
    }

    private final int window;
    private final Duration leaseFor;
    private final Sink sink;
    /** Handed out and not yet acknowledged, with when their lease runs out. */
    private final Map<String, Instant> unacknowledged = new LinkedHashMap<>();
    private boolean closed;
    /** The wait before the next retry after the store failed; zero after a lease that worked. */
    private Duration retry = Duration.ZERO;

    InboxSubscription(InboxService service, PhoneNumber recipient, int window, Duration leaseFor, Sink sink) {
        super(service, recipient);
        this.window = window;
        this.leaseFor = leaseFor;
        this.sink = sink;
    }

    public PhoneNumber recipient() {
        return recipient;
    }

    @Override
    int room() {
        if (closed || !sink.ready()) {
            // Not leased while the transport is full: a client that stops reading would otherwise
            // get a new window every time its leases ran out.
            return 0;
        }
        return window - unacknowledged.size();
    }

    @Override
    Duration leaseFor() {
        return leaseFor;
    }

    @Override
    boolean handle(Inbox.Leased leased, Throwable failure, int asked, Instant leasedAt) {
        List<QueuedMessage> handOut;
        synchronized (this) {
            if (failure != null) {
                // The store was busy or failed: try again after a while, longer each time in a row.
                retry = retry.isZero() ? FIRST_RETRY : retry.multipliedBy(2).compareTo(leaseFor) > 0 ? leaseFor
                        : retry.multipliedBy(2);
                alarmAt(leasedAt.plus(retry));
                return false;
            }
            retry = Duration.ZERO;
            if (closed) {
                handOut = null;
            } else {
                handOut = leased.messages();
                for (QueuedMessage message : handOut) {
                    unacknowledged.put(message.messageId(), leasedAt.plus(leaseFor));
                }
            }
        }
        if (handOut == null) {
            service.release(recipient, holder, leased.messages().stream().map(QueuedMessage::messageId).toList());
            return false;
        }
        if (!handOut.isEmpty()) {
            // Still inside the leasing loop: the next lease's messages cannot be pushed before these.
            sink.push(handOut);
            // When their lease runs out unacknowledged, they may be leased (and pushed) again.
            alarmAt(leasedAt.plus(leaseFor));
        }
        if (leased.heldUntil() != null) {
            alarmAt(leased.heldUntil());
        }
        // A full lease: there may be more.
        return handOut.size() == asked;
    }

    @Override
    void alarm(Instant now) {
        Instant nextRunOut;
        synchronized (this) {
            if (closed) {
                return;
            }
            // A lease that ran out unacknowledged: the message may be leased (and pushed) again.
            unacknowledged.values().removeIf(until -> !now.isBefore(until));
            nextRunOut = unacknowledged.values().stream().min(Instant::compareTo).orElse(null);
        }
        if (nextRunOut != null) {
            alarmAt(nextRunOut);
        }
        wake();
    }

    /**
     * The subscriber acknowledges messages it was handed (others are ignored, as by the inbox);
     * completes with how many are now delivered. The window makes room only when the store took
     * the acknowledgement: a failed one is sent again.
     */
    public CompletableFuture<Integer> acknowledge(Collection<String> messageIds) {
        return settled(service.acknowledge(recipient, messageIds), messageIds);
    }

    /** The subscriber reports messages read (acknowledging them if it had not). */
    public CompletableFuture<Integer> markRead(Collection<String> messageIds) {
        return settled(service.markRead(recipient, messageIds), messageIds);
    }

    private CompletableFuture<Integer> settled(CompletableFuture<Integer> report, Collection<String> messageIds) {
        return report.whenComplete((changed, failure) -> {
            if (failure != null) {
                return;
            }
            synchronized (this) {
                messageIds.forEach(unacknowledged::remove);
            }
            wake();
        });
    }

    /** Until when the subscription holds a message it was handed (now, when it no longer does). */
    public synchronized Instant leasedUntil(String messageId) {
        Instant until = unacknowledged.get(messageId);
        return until != null ? until : service.now();
    }

    /** How many messages it holds unacknowledged. */
    public synchronized int unacknowledged() {
        return unacknowledged.size();
    }

    /** Ends the subscription and gives back what it held unacknowledged. Idempotent. */
    public void close() {
        List<String> held;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            held = new ArrayList<>(unacknowledged.keySet());
            unacknowledged.clear();
        }
        service.closed(this);
        // Only what is still this subscription's: a lease that ran out may be another reader's now.
        service.release(recipient, holder, held);
    }
}
