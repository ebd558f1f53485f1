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
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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
    private final ScheduledExecutorService timer;
    private final DeliveryListener listener;
    /** Long-polls and subscriptions waiting for a recipient's messages; bounded by open requests and connections. */
    private final Map<PhoneNumber, Set<Waiting>> waiting = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger subscriptions = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean draining;

    /**
     * @param timer ends long-polls that found nothing in time (a network deadline, so real time)
     */
    public InboxService(Inbox inbox, Arrivals arrivals, StoreExecutor store, InstantSource clock,
                        DeliveryPolicy policy, ScheduledExecutorService timer, DeliveryListener listener) {
        this.inbox = inbox;
        this.store = store;
        this.clock = clock;
        this.policy = policy;
        this.timer = timer;
        this.listener = listener;
        arrivals.subscribe(this::arrived);
    }

    /**
     * What a pull got: the messages, until when they are the reader's alone, and the holder of
     * their lease (for {@link #giveBack}).
     */
    public record Pulled(List<QueuedMessage> messages, Instant leasedUntil, long holder) {}

    /** Something that waits for a recipient's messages: a long-poll or a push subscription. */
    interface Waiting {
        /** The recipient may have messages to hand out now. */
        void wake();

        /** The periodic look: wakes when a lease it waited behind has run out. */
        void tick(Instant now);
    }

    /**
     * Leases up to {@code max} (1 to {@link #MAX_PAGE}) of the recipient's messages in hand-out
     * order for {@code lease} (the default when null, within the policy's bounds). When there is
     * none and {@code wait} is positive, waits up to {@code wait} (at most the policy's longest
     * wait) for one to arrive, then answers what it has, possibly nothing.
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
        InboxSubscription subscription = new InboxSubscription(this, recipient, window, policy.defaultLease(), sink,
                clock);
        subscriptions.incrementAndGet();
        register(recipient, subscription);
        subscription.wake();
        return subscription;
    }

    /** Open push subscriptions. */
    public int subscriptions() {
        return subscriptions.get();
    }

    void closed(InboxSubscription subscription) {
        subscriptions.decrementAndGet();
        unregister(subscription.recipient(), subscription);
    }

    /** How many push subscriptions and long-polls are waiting. */
    public int waitingCount() {
        int count = 0;
        for (Set<Waiting> each : waiting.values()) {
            count += each.size();
        }
        return count;
    }

    void register(PhoneNumber recipient, Waiting waiter) {
        waiting.computeIfAbsent(recipient, r -> ConcurrentHashMap.newKeySet()).add(waiter);
    }

    void unregister(PhoneNumber recipient, Waiting waiter) {
        waiting.computeIfPresent(recipient, (r, set) -> {
            set.remove(waiter);
            return set.isEmpty() ? null : set;
        });
    }

    /** On the engine's thread: only wakes, the pulls go to the store threads. */
    private void arrived(PhoneNumber recipient) {
        Set<Waiting> waiters = waiting.get(recipient);
        if (waiters != null) {
            for (Waiting waiter : waiters) {
                waiter.wake();
            }
        }
    }

    /** The periodic look (the delivery sweeper's): readers that waited behind a lease that has now run out. */
    public void tick() {
        Instant now = clock.instant();
        for (Set<Waiting> waiters : waiting.values()) {
            for (Waiting waiter : waiters) {
                waiter.tick(now);
            }
        }
    }

    /** At shutdown: every long-poll answers what it has now (nothing), so that the drain does not wait for them. */
    public void drain() {
        draining = true;
        for (Set<Waiting> waiters : waiting.values()) {
            for (Waiting waiter : waiters) {
                if (waiter instanceof LongPoll poll) {
                    poll.finish();
                }
            }
        }
    }

    /** One pull that may wait: leases, and when it got nothing, waits for an arrival or its deadline. */
    private final class LongPoll implements Waiting {
        private final PhoneNumber recipient;
        private final int max;
        private final Duration leaseFor;
        private final Duration waitFor;
        private final CompletableFuture<Pulled> answer;
        private final long holder = newHolder();
        private ScheduledFuture<?> deadline;
        private boolean leasing;
        private boolean wokenWhileLeasing;
        private Instant heldUntil;

        LongPoll(PhoneNumber recipient, int max, Duration leaseFor, Duration waitFor, CompletableFuture<Pulled> answer) {
            this.recipient = recipient;
            this.max = max;
            this.leaseFor = leaseFor;
            this.waitFor = waitFor;
            this.answer = answer;
        }

        void start() {
            // However it ends (an answer, its deadline, or the reader cancelling), it stops waiting.
            answer.whenComplete((pulled, failure) -> end());
            if (!waitFor.isZero() && !draining) {
                // Registered before the first look, so that an arrival between the two is not missed.
                register(recipient, this);
                deadline = timer.schedule(this::finish, waitFor.toMillis(), TimeUnit.MILLISECONDS);
            }
            look();
        }

        private void look() {
            synchronized (this) {
                if (answer.isDone()) {
                    return;
                }
                if (leasing) {
                    wokenWhileLeasing = true;
                    return;
                }
                leasing = true;
            }
            Instant startedAt = clock.instant();
            lease(recipient, holder, max, leaseFor).whenComplete((leased, failure) -> {
                boolean again;
                synchronized (this) {
                    leasing = false;
                    again = wokenWhileLeasing;
                    wokenWhileLeasing = false;
                    if (failure == null) {
                        heldUntil = leased.heldUntil();
                    }
                }
                if (failure != null) {
                    end();
                    answer.completeExceptionally(failure);
                } else if (!leased.messages().isEmpty()) {
                    end();
                    if (!answer.complete(new Pulled(leased.messages(), startedAt.plus(leaseFor), holder))) {
                        // The deadline answered first, or the reader went away: give the messages straight back.
                        release(recipient, holder, leased.messages().stream().map(QueuedMessage::messageId).toList());
                    }
                } else if (waitFor.isZero() || draining) {
                    end();
                    answer.complete(new Pulled(List.of(), startedAt.plus(leaseFor), holder));
                } else if (again) {
                    look();
                }
            });
        }

        @Override
        public void wake() {
            look();
        }

        @Override
        public void tick(Instant now) {
            Instant held;
            synchronized (this) {
                held = heldUntil;
            }
            if (held != null && !now.isBefore(held)) {
                look();
            }
        }

        /**
         * The deadline (or a shutdown): answers with nothing. A lease still in flight then finds
         * the answer given and hands its messages straight back.
         */
        void finish() {
            end();
            answer.complete(new Pulled(List.of(), clock.instant(), holder));
        }

        private void end() {
            unregister(recipient, this);
            if (deadline != null) {
                deadline.cancel(false);
            }
        }
    }
}
