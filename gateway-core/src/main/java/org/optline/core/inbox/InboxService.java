package org.optline.core.inbox;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.optline.core.delivery.DeliveryListener;
import org.optline.core.delivery.DeliveryPolicy;
import org.optline.core.delivery.MessageState;
import org.optline.core.delivery.Settlement;
import org.optline.core.delivery.Transition;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.storage.StoreExecutor;

/**
 * The delivery side's view of a recipient's queue: pull messages under a lease (waiting for one
 * when asked: a long-poll), or subscribe to have them pushed; then report each one delivered,
 * read or failed. A leased message is invisible to other readers until its lease runs out or is
 * given back; one that is never acknowledged comes back. Store work runs on the store threads;
 * nothing here blocks its caller.
 *
 * <p>Waiting readers are woken by arrivals, and by alarms on the gateway's clock that the
 * delivery tick rings ({@link #tick()}): a long-poll's deadline, a lease a reader waits behind
 * running out, a retry after the store was busy. A tick looks only at the alarms that are due,
 * not at every waiting reader.
 */
public final class InboxService {
    /** A page of the inbox: enough for a phone's sync, small enough for one response. */
    public static final int DEFAULT_PAGE = 100;
    /** The most messages read or acknowledged at once. */
    public static final int MAX_PAGE = 1_000;

    private final Inbox inbox;
    private final StoreExecutor store;
    private final InstantSource clock;
    private final DeliveryPolicy policy;
    private final DeliveryListener listener;
    private final Arrivals arrivals;
    /** Long-polls and subscriptions waiting for a recipient's messages; bounded by open requests and connections. */
    private final Map<PhoneNumber, Set<Waiter>> waiting = new ConcurrentHashMap<>();
    /** When to look at a waiter again, in time order; each waiter keeps a few at most. */
    private final ConcurrentSkipListMap<Alarm, Waiter> alarms = new ConcurrentSkipListMap<>();
    private final AtomicLong alarmSequence = new AtomicLong();
    private final AtomicInteger subscriptions = new AtomicInteger();
    private volatile boolean draining;

    public InboxService(Inbox inbox, Arrivals arrivals, StoreExecutor store, InstantSource clock,
                        DeliveryPolicy policy, DeliveryListener listener) {
        this.inbox = inbox;
        this.store = store;
        this.clock = clock;
        this.policy = policy;
        this.listener = listener;
        this.arrivals = arrivals;
        arrivals.subscribe(this::arrived);
    }

    /**
     * What a pull got: the messages, until when they are the reader's alone, and the holder of
     * their lease (for {@link #giveBack}).
     */
    public record Pulled(List<QueuedMessage> messages, Instant leasedUntil, long holder) {}

    /** A time to look at a waiter again; the sequence keeps alarms of the same time apart. */
    private record Alarm(Instant at, long sequence) implements Comparable<Alarm> {
        @Override
        public int compareTo(Alarm other) {
            int byTime = at.compareTo(other.at);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }

    /**
     * Leases up to {@code max} (1 to {@link #MAX_PAGE}) of the recipient's messages in hand-out
     * order for {@code lease} (the default when null, within the policy's bounds). When there is
     * none and {@code wait} is positive, waits up to {@code wait} (at most the policy's longest
     * wait, on the gateway's clock, noticed by the next delivery tick) for one to arrive, then
     * answers what it has, possibly nothing.
     *
     * <p>Cancelling the future (the reader went away) ends the wait; messages a lease in flight
     * then gets are given straight back.
     */
    public CompletableFuture<Pulled> pull(PhoneNumber recipient, int max, Duration lease, Duration wait) {
        if (max < 1 || max > MAX_PAGE) {
            throw new IllegalArgumentException("a page holds 1 to " + MAX_PAGE + " messages");
        }
        Duration leaseFor = policy.lease(lease);
        Duration waitFor = wait == null || wait.isNegative() ? Duration.ZERO
                : wait.compareTo(policy.maxWait()) > 0 ? policy.maxWait() : wait;
        CompletableFuture<Pulled> answer = new CompletableFuture<>();
        new LongPoll(recipient, max, leaseFor, waitFor, answer).start();
        return answer;
    }

    /**
     * A holder for a new pull or subscription: random rather than counted, so that it differs from
     * the holders of leases that outlived a restart (leases are durable).
     */
    static long newHolder() {
        long holder;
        do {
            holder = ThreadLocalRandom.current().nextLong();
        } while (holder == 0);
        return holder;
    }

    Instant now() {
        return clock.instant();
    }

    /** One lease of the recipient's messages to {@code holder}, on a store thread; reports what it did. */
    CompletableFuture<Inbox.Leased> lease(PhoneNumber recipient, long holder, int max, Duration leaseFor) {
        return store.call(() -> inbox.lease(recipient, holder, max, clock.instant(), leaseFor)).thenApply(leased -> {
            if (!leased.expired().isEmpty()) {
                listener.onTransitions(leased.expired());
            }
            if (!leased.messages().isEmpty()) {
                listener.onLeased(leased.messages().size(), leased.leasesRunOut());
            }
            return leased;
        });
    }

    /**
     * Records that these messages (at most {@link #MAX_PAGE}) of the recipient were delivered; ids
     * of other recipients' messages, or of messages no longer queued, are ignored, so a repeated
     * acknowledgement changes nothing. Completes with how many were queued and are now delivered.
     */
    public CompletableFuture<Integer> acknowledge(PhoneNumber recipient, Collection<String> messageIds) {
        return settle(recipient, messageIds, Settlement.DELIVERED).thenApply(made -> count(made, MessageState.DELIVERED));
    }

    /** Records that the recipient read these messages; completes with how many became READ. */
    public CompletableFuture<Integer> markRead(PhoneNumber recipient, Collection<String> messageIds) {
        return settle(recipient, messageIds, Settlement.READ).thenApply(made -> count(made, MessageState.READ));
    }

    /**
     * Records that the delivery side gave these queued messages up, for {@code reason}; completes
     * with how many became FAILED.
     */
    public CompletableFuture<Integer> fail(PhoneNumber recipient, Collection<String> messageIds, String reason) {
        return settle(recipient, messageIds, Settlement.failed(reason))
                .thenApply(made -> count(made, MessageState.FAILED));
    }

    /**
     * Gives back what a pull got, at once, when it never reached its reader (the reply could not be
     * written): the next reader need not wait for the lease to run out.
     */
    public CompletableFuture<Void> giveBack(PhoneNumber recipient, Pulled pulled) {
        return release(recipient, pulled.holder(), pulled.messages().stream().map(QueuedMessage::messageId).toList());
    }

    /** Gives {@code holder}'s leases back before they run out, so that the next reader gets the messages at once. */
    CompletableFuture<Void> release(PhoneNumber recipient, long holder, Collection<String> messageIds) {
        if (messageIds.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return store.call(() -> inbox.release(recipient, holder, messageIds));
    }

    private CompletableFuture<List<Transition>> settle(PhoneNumber recipient, Collection<String> messageIds,
                                                      Settlement settlement) {
        if (messageIds.size() > MAX_PAGE) {
            throw new IllegalArgumentException("report at most " + MAX_PAGE + " messages at once");
        }
        if (messageIds.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        return store.call(() -> inbox.settle(recipient, messageIds, settlement, clock.instant())).thenApply(made -> {
            if (!made.isEmpty()) {
                listener.onTransitions(made);
            }
            return made;
        });
    }

    private static int count(List<Transition> made, MessageState state) {
        return (int) made.stream().filter(t -> t.state() == state).count();
    }

    /**
     * Subscribes to the recipient's messages: they are leased and handed to {@code sink} as they
     * arrive, at most {@code window} unacknowledged at a time. Closing the subscription gives back
     * what it holds unacknowledged, so that a reconnect gets it again at once.
     */
    public InboxSubscription subscribe(PhoneNumber recipient, int window, InboxSubscription.Sink sink) {
        if (window < 1 || window > MAX_PAGE) {
            throw new IllegalArgumentException("a window holds 1 to " + MAX_PAGE + " messages");
        }
        InboxSubscription subscription = new InboxSubscription(this, recipient, window, policy.defaultLease(), sink);
        subscriptions.incrementAndGet();
        register(subscription);
        subscription.wake();
        return subscription;
    }

    /** Open push subscriptions. */
    public int subscriptions() {
        return subscriptions.get();
    }

    void closed(InboxSubscription subscription) {
        subscriptions.decrementAndGet();
        unregister(subscription);
    }

    /** How many push subscriptions and long-polls are waiting. */
    public int waitingCount() {
        int count = 0;
        for (Set<Waiter> each : waiting.values()) {
            count += each.size();
        }
        return count;
    }

    void register(Waiter waiter) {
        boolean[] first = new boolean[1];
        waiting.compute(waiter.recipient, (r, set) -> {
            Set<Waiter> waiters = set != null ? set : ConcurrentHashMap.newKeySet();
            first[0] = waiters.isEmpty();
            waiters.add(waiter);
            return waiters;
        });
        if (first[0]) {
            arrivals.waiting(waiter.recipient);
        }
    }

    void unregister(Waiter waiter) {
        boolean[] last = new boolean[1];
        waiting.computeIfPresent(waiter.recipient, (r, set) -> {
            last[0] = set.remove(waiter) && set.isEmpty();
            return set.isEmpty() ? null : set;
        });
        if (last[0]) {
            arrivals.notWaiting(waiter.recipient);
        }
    }

    /** Asks the tick to ring {@code waiter}'s alarm at {@code at} (a waiter that is gone by then ignores it). */
    void lookAgainAt(Instant at, Waiter waiter) {
        alarms.put(new Alarm(at, alarmSequence.incrementAndGet()), waiter);
    }

    /** Alarms not rung yet. */
    int alarms() {
        return alarms.size();
    }

    /** On the engine's thread: only wakes, the pulls go to the store threads. */
    private void arrived(PhoneNumber recipient) {
        Set<Waiter> waiters = waiting.get(recipient);
        if (waiters != null) {
            for (Waiter waiter : waiters) {
                waiter.wake();
            }
        }
    }

    /**
     * The periodic look (the delivery tick's): rings the alarms that are due — long-polls whose
     * deadline passed, readers whose wait behind a lease is over, subscriptions whose leases ran out.
     */
    public void tick() {
        Instant now = clock.instant();
        while (true) {
            Map.Entry<Alarm, Waiter> first = alarms.firstEntry();
            if (first == null || first.getKey().at().isAfter(now)) {
                return;
            }
            if (alarms.remove(first.getKey(), first.getValue())) {
                first.getValue().ring(now);
            }
        }
    }

    /** At shutdown: every long-poll answers what it has now (nothing), so that the drain does not wait for them. */
    public void drain() {
        draining = true;
        for (Set<Waiter> waiters : waiting.values()) {
            for (Waiter waiter : waiters) {
                if (waiter instanceof LongPoll poll) {
                    poll.finish();
                }
            }
        }
    }

    /** One pull that may wait: leases, and when it got nothing, waits for an arrival, a lease running out, or its deadline. */
    private final class LongPoll extends Waiter {
        private final int max;
        private final Duration leaseFor;
        private final Duration waitFor;
        private final Instant deadline;
        private final CompletableFuture<Pulled> answer;

        LongPoll(PhoneNumber recipient, int max, Duration leaseFor, Duration waitFor, CompletableFuture<Pulled> answer) {
            super(InboxService.this, recipient);
            this.max = max;
            this.leaseFor = leaseFor;
            this.waitFor = waitFor;
            this.deadline = clock.instant().plus(waitFor);
            this.answer = answer;
        }

        void start() {
            // However it ends (an answer, its deadline, or the reader cancelling), it stops waiting.
            answer.whenComplete((pulled, failure) -> unregister(this));
            if (!waitFor.isZero() && !draining) {
                // Registered before the first look, so that an arrival between the two is not missed.
                register(this);
                alarmAt(deadline);
            }
            wake();
        }

        @Override
        int room() {
            return answer.isDone() ? 0 : max;
        }

        @Override
        Duration leaseFor() {
            return leaseFor;
        }

        @Override
        boolean handle(Inbox.Leased leased, Throwable failure, int asked, Instant leasedAt) {
            if (failure != null) {
                answer.completeExceptionally(failure);
            } else if (!leased.messages().isEmpty()) {
                if (!answer.complete(new Pulled(leased.messages(), leasedAt.plus(leaseFor), holder))) {
                    // The deadline answered first, or the reader went away: give the messages straight back.
                    release(recipient, holder, leased.messages().stream().map(QueuedMessage::messageId).toList());
                }
            } else if (waitFor.isZero() || draining) {
                answer.complete(new Pulled(List.of(), leasedAt.plus(leaseFor), holder));
            } else if (leased.heldUntil() != null) {
                // Another reader holds what it waits for: look again when that lease runs out.
                alarmAt(leased.heldUntil());
            }
            return false;
        }

        @Override
        void alarm(Instant now) {
            if (!now.isBefore(deadline)) {
                finish();
            } else {
                alarmAt(deadline);
                wake();
            }
        }

        /**
         * The deadline (or a shutdown): answers with nothing. A lease still in flight then finds
         * the answer given and hands its messages straight back.
         */
        void finish() {
            answer.complete(new Pulled(List.of(), clock.instant(), holder));
        }
    }
}
