package org.optline.core.inbox;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.recipient.PhoneNumber;

/**
 * A push subscription to one recipient's messages, whatever carries it (a WebSocket today). It
 * leases messages as they arrive and hands them to its {@link Sink}, keeping at most
 * {@code window} unacknowledged; an acknowledgement makes room for more. What it holds
 * unacknowledged goes back to the queue when it closes, and comes back to it when a lease runs
 * out, so a reconnect resumes with exactly what was not acknowledged: nothing lost, nothing
 * acknowledged handed out twice.
 */
public final class InboxSubscription implements InboxService.Waiting {
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

    private final InboxService inbox;
    private final PhoneNumber recipient;
    private final int window;
    private final Duration leaseFor;
    private final Sink sink;
    private final InstantSource clock;
    /** The holder of all of this subscription's leases, so that it gives back only what it still holds. */
    private final long holder = InboxService.newHolder();
    /** Handed out and not yet acknowledged, with when their lease runs out. */
    private final Map<String, Instant> unacknowledged = new LinkedHashMap<>();
    private boolean leasing;
    private boolean wokenWhileLeasing;
    private boolean closed;
    private Instant heldUntil;

    InboxSubscription(InboxService inbox, PhoneNumber recipient, int window, Duration leaseFor, Sink sink,
                      InstantSource clock) {
        this.inbox = inbox;
        this.recipient = recipient;
        this.window = window;
        this.leaseFor = leaseFor;
        this.sink = sink;
        this.clock = clock;
    }

    public PhoneNumber recipient() {
        return recipient;
    }

    /** Leases what fits in the window, if anything may be waiting and the transport can take it. */
    @Override
    public void wake() {
        int room;
        synchronized (this) {
            if (closed || !sink.ready()) {
                // Not leased while the transport is full: a client that stops reading would
                // otherwise get a new window every time its leases ran out.
                return;
            }
            if (leasing) {
                wokenWhileLeasing = true;
                return;
            }
            room = window - unacknowledged.size();
            if (room <= 0) {
                return;
            }
            leasing = true;
        }
        Instant leasedAt = clock.instant();
        inbox.lease(recipient, holder, room, leaseFor).whenComplete((leased, failure) -> {
            boolean again;
            List<QueuedMessage> handOut = List.of();
            boolean giveBack = false;
            synchronized (this) {
                leasing = false;
                again = wokenWhileLeasing;
                wokenWhileLeasing = false;
                if (failure == null) {
                    heldUntil = leased.heldUntil();
                    if (closed) {
                        giveBack = true;
                    } else {
                        handOut = leased.messages();
                        for (QueuedMessage message : handOut) {
                            unacknowledged.put(message.messageId(), leasedAt.plus(leaseFor));
                        }
                    }
                } else {
                    // The store was busy or failed: the next arrival or tick tries again.
                    heldUntil = leasedAt;
                }
            }
            if (giveBack) {
                inbox.release(recipient, holder, leased.messages().stream().map(QueuedMessage::messageId).toList());
                return;
            }
            if (!handOut.isEmpty()) {
                sink.push(handOut);
            }
            if (again || !handOut.isEmpty() && handOut.size() == window) {
                wake();
            }
        });
    }

    @Override
    public void tick(Instant now) {
        boolean look;
        synchronized (this) {
            // A lease that ran out unacknowledged: the message may be leased (and pushed) again.
            boolean ranOut = unacknowledged.values().removeIf(until -> !now.isBefore(until));
            look = ranOut || heldUntil != null && !now.isBefore(heldUntil);
        }
        if (look) {
            wake();
        }
    }

    /**
     * The subscriber acknowledges messages it was handed (others are ignored, as by the inbox);
     * completes with how many are now delivered.
     */
    public java.util.concurrent.CompletableFuture<Integer> acknowledge(Collection<String> messageIds) {
        return inbox.acknowledge(recipient, messageIds).whenComplete((delivered, failure) -> {
            synchronized (this) {
                messageIds.forEach(unacknowledged::remove);
            }
            wake();
        });
    }

    /** The subscriber reports messages read (acknowledging them if it had not). */
    public java.util.concurrent.CompletableFuture<Integer> markRead(Collection<String> messageIds) {
        return inbox.markRead(recipient, messageIds).whenComplete((read, failure) -> {
            synchronized (this) {
                messageIds.forEach(unacknowledged::remove);
            }
            wake();
        });
    }

    /** Until when the subscription holds a message it was handed (now, when it no longer does). */
    public synchronized Instant leasedUntil(String messageId) {
        Instant until = unacknowledged.get(messageId);
        return until != null ? until : clock.instant();
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
        inbox.closed(this);
        // Only what is still this subscription's: a lease that ran out may be another reader's now.
        inbox.release(recipient, holder, held);
    }
}
