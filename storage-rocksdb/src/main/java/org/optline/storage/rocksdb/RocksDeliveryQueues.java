package org.optline.storage.rocksdb;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.optline.core.delivery.MessageGroup;
import org.optline.core.delivery.MessageRecord;
import org.optline.core.delivery.MessageState;
import org.optline.core.delivery.Priority;
import org.optline.core.delivery.Settlement;
import org.optline.core.delivery.Transition;
import org.optline.core.idempotency.IdempotencyRecord;
import org.optline.core.inbox.Arrivals;
import org.optline.core.inbox.Inbox;
import org.optline.core.queue.Accepted;
import org.optline.core.queue.DeliveryLog;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.recipient.PhoneNumber;
import org.rocksdb.RocksDBException;

/**
 * Delivery queues on disk, the log and the inbox of a single node (the statuses they write are
 * read by {@link RocksMessageHistory}). A recipient's
 * queue is the range of keys {@code recipient ‖ 0 ‖ rank ‖ sequence} in the {@code inbox} family,
 * so reading it in hand-out order (category rank, then acceptance order) is one range scan and its
 * depth costs no heap. Each append writes, in one atomic group commit, the message, its id in the
 * message index, the idempotency record handed over with it, what it counted against the anti-spam
 * limits ({@link RocksLimitStore.Writes}) and, when it has a time to live, its entry in the expiry
 * index: after a crash all are there or none.
 *
 * <p>A lease is a record {@code inbox key → until ‖ holder}. A lease reads the queue on the calling
 * store thread and leaves the writer only a check of what it picked. A transition (delivered,
 * read, expired, failed) removes the message and its lease, expiry and index entries, writes its status with a
 * retention entry and a per-recipient entry (for erasure), and puts the transition in its
 * business's webhook outbox — all in one group commit. Messages of the first layout are moved to
 * this one when the store opens ({@link LegacyQueueMigration}).
 */
public final class RocksDeliveryQueues implements DeliveryLog, Inbox {
    /** Entries a lease looks at beyond the ones it hands out: expired ones, held ones and the groups behind them. */
    private static final int LEASE_SCAN_SLACK = 1_000;

    private static final byte[] EMPTY = new byte[0];

    private final RocksStorage storage;
    private final Arrivals arrivals;
    /**
     * Epoch milliseconds before which the expiry index has been swept: kept in memory only, so after
     * a restart the first sweep starts from the beginning once. New entries land after it (an
     * expiry is at least a second after acceptance, a moved one at a lease's end); one that lands
     * behind it (an append that took longer than its time to live to become durable) is still
     * expired by the first lease that meets it, or the first sweep after a restart.
     */
    private volatile long expiredThrough;

    public RocksDeliveryQueues(RocksStorage storage, Arrivals arrivals) {
        this.storage = storage;
        this.arrivals = arrivals;
    }

    public RocksDeliveryQueues(RocksStorage storage) {
        this(storage, new Arrivals());
    }

    @Override
    public CompletableFuture<Void> append(List<Accepted> accepted) {
        // Encoded here, on the caller's thread, so that the one writer thread only copies bytes.
        List<Encoded> encoded = new ArrayList<>(accepted.size());
        LinkedHashSet<PhoneNumber> recipients = new LinkedHashSet<>();
        for (Accepted each : accepted) {
            QueuedMessage message = each.message();
            IdempotencyRecord record = each.idempotency();
            Instant expiresAt = message.expiresAt();
            encoded.add(new Encoded(storage.token(message.recipient()), Priority.rank(message.category()),
                    Codec.message(message, storage.numbers()), Keys.messageId(message.messageId()),
                    Keys.idempotency(record.businessId(), record.clientMessageId()),
                    Codec.outcome(record.outcome(), record.decidedAt()),
                    expiresAt == null ? -1 : expiresAt.toEpochMilli(), RocksLimitStore.Writes.of(each.counts(), storage)));
            recipients.add(message.recipient());
        }
        CompletableFuture<Void> durable = new CompletableFuture<>();
        storage.write(group -> {
            for (Encoded message : encoded) {
                byte[] queueKey = Keys.inbox(message.recipient, message.rank, group.nextSequence());
                group.put(storage.inbox, queueKey, message.value);
                group.put(storage.messageIndex, message.indexKey, queueKey);
                // Read back within the group: a status purged in it must not take this newer record.
                group.putVisible(storage.idempotency, message.idempotencyKey, message.idempotencyRecord);
                if (message.expiresAtMillis >= 0) {
                    group.put(storage.expiries, Keys.timed(message.expiresAtMillis, queueKey), EMPTY);
                }
                message.counts.apply(storage, group);
            }
            return null;
        }).whenComplete((ok, failure) -> {
            if (failure != null) {
                durable.completeExceptionally(failure);
                return;
            }
            // The append's own answer first (admission decides ACCEPTED on it), then the wake-ups,
            // which can neither delay nor fail it.
            durable.complete(null);
            recipients.forEach(arrivals::arrived);
        });
        return durable;
    }

    private record Encoded(byte[] recipient, int rank, byte[] value, byte[] indexKey, byte[] idempotencyKey,
                           byte[] idempotencyRecord, long expiresAtMillis, RocksLimitStore.Writes counts) {}

    @Override
    public CompletableFuture<Optional<QueuedMessage>> find(String messageId) {
        return RocksStorage.read(() -> queued(messageId));
    }

    private Optional<QueuedMessage> queued(String messageId) {
        byte[] queueKey = storage.get(storage.messageIndex, Keys.messageId(messageId));
        if (queueKey == null) {
            return Optional.empty();
        }
        byte[] message = storage.get(storage.inbox, queueKey);
        return message == null ? Optional.empty() : Optional.of(Codec.message(message, storage.numbers()));
    }

    @Override
    public CompletableFuture<List<QueuedMessage>> peek(PhoneNumber recipient, int max) {
        if (max <= 0) {
            return CompletableFuture.completedFuture(List.of());
        }
        return RocksStorage.read(() -> {
            // The oldest of each rank, merged by sequence: acceptance order across the ranks.
            List<long[]> order = new ArrayList<>();
            List<QueuedMessage> found = new ArrayList<>();
            byte[] prefix = Keys.recipientPrefix(storage.token(recipient));
            for (int rank = 0; rank < Priority.RANKS; rank++) {
                byte[] rankPrefix = Arrays.copyOf(prefix, prefix.length + 1);
                rankPrefix[prefix.length] = (byte) rank;
                int[] taken = {0};
                storage.scan(storage.inbox, rankPrefix, (key, value) -> {
                    order.add(new long[] {Keys.sequenceOf(key), found.size()});
                    found.add(Codec.message(value, storage.numbers()));
                    return ++taken[0] < max;
                });
            }
            order.sort(Comparator.comparingLong(entry -> entry[0]));
            List<QueuedMessage> first = new ArrayList<>(Math.min(max, order.size()));
            for (int i = 0; i < order.size() && i < max; i++) {
                first.add(found.get((int) order.get(i)[1]));
            }
            return first;
        });
    }

    @Override
    public CompletableFuture<Leased> lease(PhoneNumber recipient, long holder, int max, Instant now,
                                           Duration leaseFor) {
        if (max <= 0) {
            return CompletableFuture.completedFuture(Leased.NONE);
        }
        List<LeaseStep> plan;
        try {
            plan = leasePlan(Keys.recipientPrefix(storage.token(recipient)), holder, max, now);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (plan.isEmpty()) {
            return CompletableFuture.completedFuture(Leased.NONE);
        }
        byte[] lease = Codec.lease(new Lease(now.plus(leaseFor), holder));
        return storage.write(group -> leaseAsPlanned(group, plan, holder, max, now, lease));
    }

    /** What a lease looked at, and what it means to do with it once the writer checked it again. */
    private enum LeaseAction {
        /** Under a live lease when looked at: its group waits if another holder still has it. */
        HELD,
        /** Past its time to live and under no live lease: leaves as EXPIRED. */
        EXPIRE,
        /** To hand out, unless something changed. */
        TAKE
    }

    private record LeaseStep(LeaseAction action, byte[] key, QueuedMessage message) {}

    /**
     * On the calling store thread, not the writer: reads the recipient's queue in hand-out order
     * with its leases, and picks what a lease would do, so that the writer only checks the picked
     * messages again (another write may have leased, acknowledged or released one since).
     */
    private List<LeaseStep> leasePlan(byte[] prefix, long holder, int max, Instant now) {
        List<LeaseStep> plan = new ArrayList<>();
        Set<MessageGroup> held = new HashSet<>();
        int[] taken = {0};
        int[] seen = {0};
        storage.scanJoined(storage.inbox, storage.leases, prefix, (key, value, leaseValue) -> {
            QueuedMessage message = Codec.message(value, storage.numbers());
            Lease lease = leaseValue == null ? null : Codec.lease(leaseValue);
            if (lease != null && lease.isLiveAt(now)) {
                if (lease.holder() != holder) {
                    held.add(MessageGroup.of(message));
                }
                plan.add(new LeaseStep(LeaseAction.HELD, key, message));
            } else if (message.isExpiredAt(now)) {
                plan.add(new LeaseStep(LeaseAction.EXPIRE, key, message));
            } else if (!held.contains(MessageGroup.of(message))) {
                plan.add(new LeaseStep(LeaseAction.TAKE, key, message));
                taken[0]++;
            }
            // Bounded work per lease, however deep the queue and however many messages wait behind a held one.
            return taken[0] < max && ++seen[0] < max + LEASE_SCAN_SLACK;
        });
        return plan;
    }

    /** In the writer: the plan checked against the store as this group leaves it, then done. */
    private Leased leaseAsPlanned(GroupCommitter.Group group, List<LeaseStep> plan, long holder, int max,
                                  Instant now, byte[] lease) throws RocksDBException {
        List<QueuedMessage> leased = new ArrayList<>();
        List<Transition> expired = new ArrayList<>();
        Set<MessageGroup> held = new HashSet<>();
        int runOut = 0;
        Instant heldUntil = null;
        for (LeaseStep step : plan) {
            if (leased.size() == max) {
                break;
            }
            MessageGroup messageGroup = MessageGroup.of(step.message());
            byte[] currentValue = group.get(storage.leases, step.key());
            Lease current = currentValue == null ? null : Codec.lease(currentValue);
            if (current != null && current.isLiveAt(now)) {
                if (current.holder() != holder) {
                    held.add(messageGroup);
                    heldUntil = heldUntil == null || current.until().isBefore(heldUntil) ? current.until() : heldUntil;
                }
                continue;
            }
            if (step.action() == LeaseAction.HELD || group.get(storage.inbox, step.key()) == null) {
                // A lease given back since, or a message that left: the next look sees it.
                continue;
            }
            if (step.action() == LeaseAction.EXPIRE) {
                expired.add(leave(group, step.key(), step.message(), MessageState.EXPIRED, now, "", current));
                continue;
            }
            if (held.contains(messageGroup)) {
                continue;
            }
            if (current != null) {
                runOut++;
            }
            group.putVisible(storage.leases, step.key(), lease);
            leased.add(step.message());
        }
        return new Leased(leased, expired, runOut, heldUntil);
    }

    @Override
    public CompletableFuture<Void> release(PhoneNumber recipient, long holder, Collection<String> messageIds) {
        byte[] prefix = Keys.recipientPrefix(storage.token(recipient));
        return storage.write(group -> {
            boolean released = false;
            for (String messageId : messageIds) {
                byte[] queueKey = group.get(storage.messageIndex, Keys.messageId(messageId));
                byte[] lease = queueKey != null && Keys.startsWith(queueKey, prefix)
                        ? group.get(storage.leases, queueKey) : null;
                // Only this holder's own lease: after it ran out another reader may hold the message.
                if (lease != null && Codec.lease(lease).holder() == holder) {
                    group.delete(storage.leases, queueKey);
                    released = true;
                }
            }
            return released;
        }).thenAccept(released -> {
            if (released) {
                arrivals.arrived(recipient);
            }
        });
    }

    @Override
    public CompletableFuture<List<Transition>> settle(PhoneNumber recipient, Collection<String> messageIds,
                                                      Settlement settlement, Instant at) {
        byte[] prefix = Keys.recipientPrefix(storage.token(recipient));
        List<String> ids = List.copyOf(new LinkedHashSet<>(messageIds));
        return storage.write(group -> {
            List<Transition> made = new ArrayList<>();
            for (String messageId : ids) {
                byte[] queueKey = group.get(storage.messageIndex, Keys.messageId(messageId));
                // Only this recipient's messages: an id of someone else's queue is not found here.
                byte[] value = queueKey != null && Keys.startsWith(queueKey, prefix)
                        ? group.get(storage.inbox, queueKey) : null;
                if (value != null) {
                    MessageState leaving = settlement.state() == MessageState.FAILED
                            ? MessageState.FAILED : MessageState.DELIVERED;
                    made.add(leave(group, queueKey, Codec.message(value, storage.numbers()), leaving, at,
                            settlement.reason(), null));
                    if (settlement.state() != MessageState.READ) {
                        continue;
                    }
                }
                if (settlement.state() == MessageState.READ) {
                    byte[] past = group.get(storage.statuses, Keys.messageId(messageId));
                    MessageRecord record = past == null ? null : Codec.messageRecord(past, storage.numbers());
                    if (record != null && record.recipient().equals(recipient)
                            && record.state() == MessageState.DELIVERED) {
                        made.add(change(group, record.to(MessageState.READ, at, "")));
                    }
                }
            }
            return made;
        });
    }

    @Override
    public CompletableFuture<Expired> expire(Instant now, int max) {
        long nowMillis = now.toEpochMilli();
        List<byte[]> due = new ArrayList<>();
        try {
            // On the calling store thread, from where the last sweep ended: the entries before it
            // are deleted, and walking their tombstones every tick would cost more each time.
            storage.scanRange(storage.expiries, Keys.timed(expiredThrough, EMPTY), Keys.timed(nowMillis + 1, EMPTY),
                    (key, value) -> {
                        due.add(key);
                        return due.size() < max;
                    });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (due.isEmpty()) {
            expiredThrough = Math.max(expiredThrough, nowMillis + 1);
            return CompletableFuture.completedFuture(Expired.NONE);
        }
        boolean more = due.size() == max;
        return storage.write(group -> {
            List<Transition> made = new ArrayList<>();
            for (byte[] expiryKey : due) {
                byte[] queueKey = Keys.restOf(expiryKey);
                byte[] value = group.get(storage.inbox, queueKey);
                group.delete(storage.expiries, expiryKey);
                if (value == null) {
                    continue;
                }
                byte[] leaseValue = group.get(storage.leases, queueKey);
                Lease lease = leaseValue == null ? null : Codec.lease(leaseValue);
                if (lease != null && lease.isLiveAt(now)) {
                    // Handed out and not acknowledged yet: it expires when the lease runs out, unless
                    // its reader acknowledges it first (it may well have reached the phone).
                    group.put(storage.expiries, Keys.timed(lease.until().toEpochMilli(), queueKey), EMPTY);
                    continue;
                }
                made.add(leave(group, queueKey, Codec.message(value, storage.numbers()), MessageState.EXPIRED, now,
                        "", lease));
            }
            return made;
        }).thenApply(made -> {
            expiredThrough = Math.max(expiredThrough,
                    more ? Keys.timeOf(due.get(due.size() - 1)) : nowMillis + 1);
            return new Expired(made, more);
        });
    }

    /**
     * Takes a queued message out of its queue and every index, and records where it went. With the
     * message's lease when the caller read it: a sweep may have moved its expiry entry to the end of
     * that lease. (A caller that did not read it leaves such an entry behind; the sweep drops it
     * when it gets there and finds the message gone.)
     */
    private Transition leave(GroupCommitter.Group group, byte[] queueKey, QueuedMessage message, MessageState state,
                             Instant at, String reason, Lease lease) throws RocksDBException {
        group.delete(storage.inbox, queueKey);
        group.delete(storage.messageIndex, Keys.messageId(message.messageId()));
        group.delete(storage.leases, queueKey);
        Instant expiresAt = message.expiresAt();
        if (expiresAt != null) {
            group.delete(storage.expiries, Keys.timed(expiresAt.toEpochMilli(), queueKey));
            if (lease != null && lease.until().isAfter(expiresAt)) {
                group.delete(storage.expiries, Keys.timed(lease.until().toEpochMilli(), queueKey));
            }
        }
        group.put(storage.retention, Keys.timed(at.toEpochMilli(), Keys.messageId(message.messageId())), EMPTY);
        group.put(storage.recipientStatuses, Keys.recipientMessage(storage.token(message.recipient()), message.messageId()),
                EMPTY);
        return change(group, MessageRecord.queued(message).to(state, at, reason));
    }

    /** Writes a record's new state and puts the transition in its business's outbox. */
    private Transition change(GroupCommitter.Group group, MessageRecord record) throws RocksDBException {
        group.putVisible(storage.statuses, Keys.messageId(record.messageId()), Codec.record(record, storage.numbers()));
        Transition transition = Transition.of(record);
        group.put(storage.outbox, Keys.businessSequenced(record.businessId(), group.nextSequence()),
                Codec.transition(transition));
        return transition;
    }

    @Override
    public CompletableFuture<List<QueuedMessage>> erase(PhoneNumber recipient) {
        byte[] prefix = Keys.recipientPrefix(storage.token(recipient));
        List<byte[]> keys = new ArrayList<>();
        List<QueuedMessage> messages = new ArrayList<>();
        List<byte[]> past = new ArrayList<>();
        try {
            // On the calling store thread; the writer only deletes.
            storage.scan(storage.inbox, prefix, (key, value) -> {
                keys.add(key);
                messages.add(Codec.message(value, storage.numbers()));
                return true;
            });
            storage.scan(storage.recipientStatuses, prefix, (key, value) -> {
                past.add(key);
                return true;
            });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return storage.write(group -> {
            for (int i = 0; i < keys.size(); i++) {
                QueuedMessage message = messages.get(i);
                group.delete(storage.inbox, keys.get(i));
                group.delete(storage.leases, keys.get(i));
                if (message.expiresAt() != null) {
                    group.delete(storage.expiries, Keys.timed(message.expiresAt().toEpochMilli(), keys.get(i)));
                }
                group.delete(storage.messageIndex, Keys.messageId(message.messageId()));
                group.delete(storage.idempotency, Keys.idempotency(message.businessId(), message.clientMessageId()));
                // Reported delivered (or failed) since it was read above: its new status goes too.
                group.delete(storage.statuses, Keys.messageId(message.messageId()));
                group.delete(storage.recipientStatuses,
                        Keys.recipientMessage(storage.token(recipient), message.messageId()));
            }
            // The statuses of the person's past messages go too (their retention entries find nothing later).
            for (byte[] key : past) {
                group.delete(storage.statuses, Arrays.copyOfRange(key, prefix.length, key.length));
                group.delete(storage.recipientStatuses, key);
            }
            return messages;
        }).thenCompose(removed -> storage.shred(recipient).thenApply(shredded -> removed));
    }
}
