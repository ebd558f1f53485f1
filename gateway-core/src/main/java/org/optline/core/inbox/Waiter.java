package org.optline.core.inbox;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.optline.core.recipient.PhoneNumber;

/**
 * Something that waits for a recipient's messages and leases them when woken: a long-poll or a
 * push subscription. This is their one leasing loop: at most one lease out at a time; a wake that
 * comes meanwhile is remembered and leads to another lease after it, so none is lost; and what a
 * lease got is handled (pushed, answered) before the next one can start, so that hand-outs never
 * overtake each other.
 *
 * <p>Woken from any thread: the engine's (an arrival), a store thread (a lease completing), the
 * delivery tick's event loop (an alarm), a transport's event loop (room again).
 */
abstract class Waiter {
    final InboxService service;
    final PhoneNumber recipient;
    /** The holder of every lease this waiter takes. */
    final long holder = InboxService.newHolder();
    private boolean leasing;
    private boolean wokenWhileLeasing;
    /** The earliest alarm asked for and not rung yet: later ones are not queued, it asks again when it rings. */
    private Instant pendingAlarm;

    Waiter(InboxService service, PhoneNumber recipient) {
        this.service = service;
        this.recipient = recipient;
    }

    /** The recipient may have messages to hand out now: leases what there is room for. */
    public final void wake() {
        int room;
        synchronized (this) {
            if (leasing) {
                wokenWhileLeasing = true;
                return;
            }
            room = room();
            if (room <= 0) {
                return;
            }
            leasing = true;
        }
        Instant leasedAt = service.now();
        CompletableFuture<Inbox.Leased> lease;
        try {
            lease = service.lease(recipient, holder, room, leaseFor());
        } catch (RuntimeException e) {
            lease = CompletableFuture.failedFuture(e);
        }
        lease.whenComplete((leased, failure) -> {
            boolean again = false;
            try {
                again = handle(leased, failure, room, leasedAt);
            } finally {
                synchronized (this) {
                    leasing = false;
                    again |= wokenWhileLeasing;
                    wokenWhileLeasing = false;
                }
            }
            if (again) {
                wake();
            }
        });
    }

    /**
     * Asks the delivery tick to ring {@link #alarm} at {@code at}. One alarm at a time per waiter
     * is queued, the earliest: when it rings, the waiter asks again for whatever it still needs, so
     * a busy waiter never piles alarms up.
     */
    final void alarmAt(Instant at) {
        synchronized (this) {
            if (pendingAlarm != null && !at.isBefore(pendingAlarm)) {
                return;
            }
            pendingAlarm = at;
        }
        service.lookAgainAt(at, this);
    }

    /** The tick rings an alarm of this waiter. */
    final void ring(Instant now) {
        synchronized (this) {
            if (pendingAlarm != null && !now.isBefore(pendingAlarm)) {
                pendingAlarm = null;
            }
        }
        alarm(now);
    }

    /** How many messages to lease now; 0 or less for none. Called holding this waiter's lock. */
    abstract int room();

    /** How long what this waiter leases is its own. */
    abstract Duration leaseFor();

    /**
     * What a lease of up to {@code asked} messages got (or how it failed); no other lease of this
     * waiter starts before this returns. Returns true to lease again at once.
     */
    abstract boolean handle(Inbox.Leased leased, Throwable failure, int asked, Instant leasedAt);

    /** A time this waiter asked to be looked at again has come: it asks again for any later one it still needs. */
    abstract void alarm(Instant now);
}
