package org.optline.storage.rocksdb;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.optline.core.delivery.MessageHistory;
import org.optline.core.delivery.MessageRecord;
import org.optline.core.delivery.MessageState;
import org.optline.core.delivery.Priority;
import org.optline.core.delivery.Settlement;
import org.optline.core.delivery.Transition;
import org.optline.core.idempotency.IdempotencyRecord;
import org.optline.core.inbox.Arrivals;
import org.optline.core.inbox.Inbox;
import org.optline.core.message.Outcome;
import org.optline.core.message.Reason;
import org.optline.core.queue.Accepted;
import org.optline.core.queue.DeliveryLog;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.recipient.PhoneNumber;
import org.rocksdb.RocksDBException;

/**
 * Delivery queues on disk, the log, the inbox and the statuses of a single node. A recipient's
 * queue is the range of keys {@code recipient ‖ 0 ‖ rank ‖ sequence} in the {@code inbox} family,
 * so reading it in hand-out order (category rank, then acceptance order) is one range scan and its
 * depth costs no heap. Each append writes, in one atomic group commit, the message, its id in the
 * message index, the idempotency record handed over with it, what it counted against the anti-spam
 * limits ({@link RocksLimitStore.Writes}) and, when it has a time to live, its entry in the expiry
 * index: after a crash all are there or none.
 *
 * <p>A lease is a record {@code inbox key → until}; a transition (delivered, read, expired,
 * failed) removes the message and its lease, expiry and index entries, writes its status with a
 * retention entry and a per-recipient entry (for erasure), and puts the transition in its
 * business's webhook outbox — all in one group commit. Messages of the first layout (the
 * {@code queues} family, keyed {@code recipient ‖ 0 ‖ sequence}) are moved to this one when the
 * store opens.
 */
public final class RocksDeliveryQueues implements DeliveryLog, Inbox, MessageHistory {
    /** Legacy entries moved per group commit when the store opens. */
    private static final int MIGRATION_BATCH = 10_000;

    private final RocksStorage storage;
    private final Arrivals arrivals;

    public RocksDeliveryQueues(RocksStorage storage, Arrivals arrivals) {
        this.storage = storage;
        this.arrivals = arrivals;
        migrateLegacyQueues();
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
            encoded.add(new Encoded(message.recipient().e164(), Priority.rank(message.category()),
                    Codec.message(message), Keys.messageId(message.messageId()),
                    Keys.idempotency(record.businessId(), record.clientMessageId()),
                    Codec.outcome(record.outcome(), record.decidedAt()),
                    expiresAt == null ? -1 : expiresAt.toEpochMilli(), RocksLimitStore.Writes.of(each.counts())));
            recipients.add(message.recipient());
        }
        return storage.write(group -> {
            for (Encoded message : encoded) {
                byte[] queueKey = Keys.inbox(message.recipient, message.rank, group.nextSequence());
                group.put(storage.inbox, queueKey, message.value);
                group.put(storage.messageIndex, message.indexKey, queueKey);
                group.put(storage.idempotency, message.idempotencyKey, message.idempotencyRecord);
                if (message.expiresAtMillis >= 0) {
                    group.put(storage.expiries, Keys.timed(message.expiresAtMillis, queueKey), new byte[0]);
                }
                message.counts.apply(storage, group);
            }
            return null;
        }).thenRun(() -> recipients.forEach(arrivals::arrived));
    }

    private record Encoded(String recipient, int rank, byte[] value, byte[] indexKey, byte[] idempotencyKey,
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
        return message == null ? Optional.empty() : Optional.of(Codec.message(message));
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
            byte[] prefix = Keys.recipientPrefix(recipient.e164());
            for (int rank = 0; rank < Priority.RANKS; rank++) {
                byte[] rankPrefix = java.util.Arrays.copyOf(prefix, prefix.length + 1);
                rankPrefix[prefix.length] = (byte) rank;
                int[] taken = {0};
                storage.scan(storage.inbox, rankPrefix, (key, value) -> {
                    order.add(new long[] {Keys.sequenceOf(key), found.size()});
                    found.add(Codec.message(value));
                    return ++taken[0] < max;
                });
            }
            order.sort(java.util.Comparator.comparingLong(entry -> entry[0]));
            List<QueuedMessage> first = new ArrayList<>(Math.min(max, order.size()));
            for (int i = 0; i < order.size() && i < max; i++) {
                first.add(found.get((int) order.get(i)[1]));
            }
            return first;
        });
    }

    @Override
    public CompletableFuture<Leased> lease(PhoneNumber recipient, int max, Instant now, Duration leaseFor) {
        if (max <= 0) {
            return CompletableFuture.completedFuture(Leased.NONE);
        }
        byte[] until = Codec.lease(now.plus(leaseFor));
        return storage.write(group -> {
            List<QueuedMessage> leased = new ArrayList<>();
            List<Transition> expired = new ArrayList<>();
            int[] runOut = {0};
            Instant[] heldUntil = {null};
            List<byte[]> keys = new ArrayList<>();
            List<byte[]> values = new ArrayList<>();
            // Collected first, changed after: the scan reads the disk, the checks below see this group's
            // earlier writes too (another lease or an acknowledgement in the same group).
            storage.scan(storage.inbox, Keys.recipientPrefix(recipient.e164()), (key, value) -> {
                keys.add(key);
                values.add(value);
                return keys.size() < max + 1_000;
            });
            for (int i = 0; i < keys.size() && leased.size() < max; i++) {
                byte[] key = keys.get(i);
                if (group.get(storage.inbox, key) == null) {
                    continue;
                }
                QueuedMessage message = Codec.message(values.get(i));
                if (message.isExpiredAt(now)) {
                    expired.add(leave(group, key, message, MessageState.EXPIRED, now, ""));
                    continue;
                }
                byte[] lease = group.get(storage.leases, key);
                if (lease != null) {
                    Instant leasedUntil = Codec.lease(lease);
                    if (now.isBefore(leasedUntil)) {
                        heldUntil[0] = heldUntil[0] == null || leasedUntil.isBefore(heldUntil[0])
                                ? leasedUntil : heldUntil[0];
                        continue;
                    }
                    runOut[0]++;
                }
                group.putVisible(storage.leases, key, until);
                leased.add(message);
            }
            return new Leased(leased, expired, runOut[0], heldUntil[0]);
        });
    }

    @Override
    public CompletableFuture<Void> release(PhoneNumber recipient, Collection<String> messageIds) {
        byte[] prefix = Keys.recipientPrefix(recipient.e164());
        return storage.write(group -> {
            boolean released = false;
            for (String messageId : messageIds) {
                byte[] queueKey = group.get(storage.messageIndex, Keys.messageId(messageId));
                if (queueKey != null && Keys.startsWith(queueKey, prefix)
                        && group.get(storage.leases, queueKey) != null) {
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
        byte[] prefix = Keys.recipientPrefix(recipient.e164());
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
                    made.add(leave(group, queueKey, Codec.message(value), leaving, at, settlement.reason()));
                    if (settlement.state() != MessageState.READ) {
                        continue;
                    }
                }
                if (settlement.state() == MessageState.READ) {
                    byte[] past = group.get(storage.statuses, Keys.messageId(messageId));
                    MessageRecord record = past == null ? null : Codec.messageRecord(past);
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
    public CompletableFuture<List<Transition>> expire(Instant now, int max) {
        long nowMillis = now.toEpochMilli();
        return storage.write(group -> {
            List<byte[]> due = new ArrayList<>();
            storage.scan(storage.expiries, new byte[0], (key, value) -> {
                if (Keys.timeOf(key) > nowMillis) {
                    return false;
                }
                due.add(key);
                return due.size() < max;
            });
            List<Transition> made = new ArrayList<>();
            for (byte[] expiryKey : due) {
                byte[] queueKey = Keys.restOf(expiryKey);
                byte[] value = group.get(storage.inbox, queueKey);
                if (value == null) {
                    group.delete(storage.expiries, expiryKey);
                    continue;
                }
                made.add(leave(group, queueKey, Codec.message(value), MessageState.EXPIRED, now, ""));
            }
            return made;
        });
    }

    /** Takes a queued message out of its queue and every index, and records where it went. */
    private Transition leave(GroupCommitter.Group group, byte[] queueKey, QueuedMessage message, MessageState state,
                             Instant at, String reason) throws RocksDBException {
        group.delete(storage.inbox, queueKey);
        group.delete(storage.messageIndex, Keys.messageId(message.messageId()));
        group.delete(storage.leases, queueKey);
        Instant expiresAt = message.expiresAt();
        if (expiresAt != null) {
            group.delete(storage.expiries, Keys.timed(expiresAt.toEpochMilli(), queueKey));
        }
        group.put(storage.retention, Keys.timed(at.toEpochMilli(), Keys.messageId(message.messageId())), new byte[0]);
        group.put(storage.recipientStatuses, Keys.recipientMessage(message.recipient().e164(), message.messageId()),
                new byte[0]);
        return change(group, MessageRecord.queued(message).to(state, at, reason));
    }

    /** Writes a record's new state and puts the transition in its business's outbox. */
    private Transition change(GroupCommitter.Group group, MessageRecord record) throws RocksDBException {
        group.putVisible(storage.statuses, Keys.messageId(record.messageId()), Codec.record(record));
        Transition transition = Transition.of(record);
        group.put(storage.outbox, Keys.businessSequenced(record.businessId(), group.nextSequence()),
                Codec.transition(transition));
        return transition;
    }

    @Override
    public CompletableFuture<Optional<MessageRecord>> record(String messageId) {
        return RocksStorage.read(() -> recordOf(messageId));
    }

    private Optional<MessageRecord> recordOf(String messageId) {
        Optional<QueuedMessage> queued = queued(messageId);
        if (queued.isPresent()) {
            return Optional.of(MessageRecord.queued(queued.get()));
        }
        byte[] past = storage.get(storage.statuses, Keys.messageId(messageId));
        return past == null ? Optional.empty() : Optional.of(Codec.messageRecord(past));
    }

    @Override
    public CompletableFuture<Optional<MessageRecord>> recordByClientMessageId(String businessId,
                                                                           String clientMessageId) {
        return RocksStorage.read(() -> {
            // The idempotency record names the latest accepted message of the key, whatever its age:
            // the status outlives the idempotency window.
            byte[] first = storage.get(storage.idempotency, Keys.idempotency(businessId, clientMessageId));
            if (first == null) {
                return Optional.empty();
            }
            Outcome outcome = Codec.outcome(first);
            if (outcome.reason() != Reason.ACCEPTED || outcome.messageId() == null) {
                return Optional.empty();
            }
            return recordOf(outcome.messageId()).filter(record -> record.businessId().equals(businessId));
        });
    }

    @Override
    public CompletableFuture<Integer> purge(Instant leftBefore, int max) {
        long before = leftBefore.toEpochMilli();
        return storage.write(group -> {
            List<byte[]> due = new ArrayList<>();
            storage.scan(storage.retention, new byte[0], (key, value) -> {
                if (Keys.timeOf(key) >= before) {
                    return false;
                }
                due.add(key);
                return due.size() < max;
            });
            int purged = 0;
            for (byte[] retentionKey : due) {
                byte[] id = Keys.restOf(retentionKey);
                byte[] past = group.get(storage.statuses, id);
                if (past != null) {
                    MessageRecord record = Codec.messageRecord(past);
                    group.delete(storage.statuses, id);
                    group.delete(storage.recipientStatuses,
                            Keys.recipientMessage(record.recipient().e164(), record.messageId()));
                    purged++;
                }
                group.delete(storage.retention, retentionKey);
            }
            return purged;
        });
    }

    @Override
    public CompletableFuture<List<QueuedMessage>> erase(PhoneNumber recipient) {
        byte[] prefix = Keys.recipientPrefix(recipient.e164());
        return storage.write(group -> {
            List<QueuedMessage> removed = new ArrayList<>();
            for (var family : List.of(storage.inbox, storage.queues)) {
                List<byte[]> keys = new ArrayList<>();
                List<QueuedMessage> messages = new ArrayList<>();
                storage.scan(family, prefix, (key, value) -> {
                    keys.add(key);
                    messages.add(Codec.message(value));
                    return true;
                });
                for (int i = 0; i < keys.size(); i++) {
                    QueuedMessage message = messages.get(i);
                    group.delete(family, keys.get(i));
                    group.delete(storage.leases, keys.get(i));
                    if (message.expiresAt() != null) {
                        group.delete(storage.expiries, Keys.timed(message.expiresAt().toEpochMilli(), keys.get(i)));
                    }
                    group.delete(storage.messageIndex, Keys.messageId(message.messageId()));
                    group.delete(storage.idempotency,
                            Keys.idempotency(message.businessId(), message.clientMessageId()));
                }
                removed.addAll(messages);
            }
            // The statuses of the person's past messages go too (their retention entries find nothing later).
            List<byte[]> past = new ArrayList<>();
            storage.scan(storage.recipientStatuses, prefix, (key, value) -> {
                past.add(key);
                return true;
            });
            for (byte[] key : past) {
                group.delete(storage.statuses, java.util.Arrays.copyOfRange(key, prefix.length, key.length));
                group.delete(storage.recipientStatuses, key);
            }
            return removed;
        });
    }

    /**
     * Moves messages of the first layout ({@code queues}: no rank in the key, time to live never
     * enforced) to the inbox, keeping their sequence, so that order survives the upgrade. Their
     * time to live is theirs as stored: 0 meant "no limit" then, and still does for them.
     */
    private void migrateLegacyQueues() {
        // Nothing to move in a store of this layout: not a single write at open.
        if (storage.firstKeyFrom(storage.queues, new byte[0]) == null) {
            return;
        }
        while (true) {
            int moved = storage.write(group -> {
                List<byte[]> keys = new ArrayList<>();
                List<byte[]> values = new ArrayList<>();
                storage.scan(storage.queues, new byte[0], (key, value) -> {
                    keys.add(key);
                    values.add(value);
                    return keys.size() < MIGRATION_BATCH;
                });
                for (int i = 0; i < keys.size(); i++) {
                    QueuedMessage message = Codec.message(values.get(i));
                    byte[] queueKey = Keys.inbox(message.recipient().e164(), Priority.rank(message.category()),
                            Keys.sequenceOf(keys.get(i)));
                    group.put(storage.inbox, queueKey, values.get(i));
                    group.put(storage.messageIndex, Keys.messageId(message.messageId()), queueKey);
                    if (message.expiresAt() != null) {
                        group.put(storage.expiries, Keys.timed(message.expiresAt().toEpochMilli(), queueKey),
                                new byte[0]);
                    }
                    group.delete(storage.queues, keys.get(i));
                }
                return keys.size();
            }).join();
            if (moved < MIGRATION_BATCH) {
                return;
            }
        }
    }
}
