package org.optline.storage.rocksdb;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.optline.core.delivery.MessageHistory;
import org.optline.core.delivery.MessageRecord;
import org.optline.core.message.Outcome;
import org.optline.core.message.Reason;
import org.optline.core.queue.QueuedMessage;
import org.rocksdb.RocksDBException;

/**
 * The statuses of messages on disk, as their senders read them: a queued message's from its queue
 * (through the message index), and a message's that left its queue from the {@code statuses}
 * family, which {@link RocksDeliveryQueues}' transitions write. Statuses are forgotten after the
 * retention, through the {@code retention} index ({@code time left ‖ message id}), and with each
 * its message's idempotency record once the window no longer reads it: the record is what
 * {@link #recordByClientMessageId} needs, and nothing else does after the window, so without
 * this the records of every message ever accepted would stay on disk.
 */
public final class RocksMessageHistory implements MessageHistory {
    private static final byte[] EMPTY = new byte[0];

    private final RocksStorage storage;
    private final InstantSource clock;
    private final Duration idempotencyWindow;
    /**
     * Epoch milliseconds before which the retention index has been purged: kept in memory only, so
     * after a restart the first purge starts from the beginning once.
     */
    private volatile long purgedThrough;

    public RocksMessageHistory(RocksStorage storage, InstantSource clock, Duration idempotencyWindow) {
        this.storage = storage;
        this.clock = clock;
        this.idempotencyWindow = idempotencyWindow;
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
    public CompletableFuture<Optional<MessageRecord>> record(String messageId) {
        return RocksStorage.read(() -> recordOf(messageId));
    }

    private Optional<MessageRecord> recordOf(String messageId) {
        Optional<QueuedMessage> queued = queued(messageId);
        if (queued.isPresent()) {
            return Optional.of(MessageRecord.queued(queued.get()));
        }
        byte[] past = storage.get(storage.statuses, Keys.messageId(messageId));
        return past == null ? Optional.empty() : Optional.of(Codec.messageRecord(past, storage.numbers()));
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
    public CompletableFuture<Purged> purge(Instant leftBefore, int max) {
        long before = leftBefore.toEpochMilli();
        List<byte[]> due = new ArrayList<>();
        try {
            // On the calling store thread, from where the last purge ended, as for expiries.
            storage.scanRange(storage.retention, Keys.timed(purgedThrough, EMPTY), Keys.timed(before, EMPTY),
                    (key, value) -> {
                        due.add(key);
                        return due.size() < max;
                    });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (due.isEmpty()) {
            purgedThrough = Math.max(purgedThrough, before);
            return CompletableFuture.completedFuture(new Purged(0, false));
        }
        boolean more = due.size() == max;
        // The statuses are read here too: a retained status only changes to READ, never to another
        // recipient, so the writer needs nothing but the deletes and the idempotency records' check.
        List<MessageRecord> records = new ArrayList<>(due.size());
        List<byte[]> recipientKeys = new ArrayList<>(due.size());
        try {
            for (byte[] retentionKey : due) {
                byte[] past = storage.get(storage.statuses, Keys.restOf(retentionKey));
                MessageRecord record = past == null ? null : Codec.messageRecord(past, storage.numbers());
                records.add(record);
                recipientKeys.add(record == null ? null
                        : Keys.recipientMessage(storage.token(record.recipient()), record.messageId()));
            }
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        Instant now = clock.instant();
        return storage.write(group -> {
            int purged = 0;
            for (int i = 0; i < due.size(); i++) {
                byte[] retentionKey = due.get(i);
                MessageRecord record = records.get(i);
                if (record != null) {
                    group.delete(storage.statuses, Keys.restOf(retentionKey));
                    group.delete(storage.recipientStatuses, recipientKeys.get(i));
                    forgetIdempotencyRecord(group, record, now);
                    purged++;
                }
                group.delete(storage.retention, retentionKey);
            }
            return purged;
        }).thenApply(purged -> {
            purgedThrough = Math.max(purgedThrough, more ? Keys.timeOf(due.get(due.size() - 1)) : before);
            return new Purged(purged, more);
        });
    }

    /**
     * In the writer: deletes the idempotency record of the message whose status goes, if it still
     * names that message and the window no longer reads it. A retry after the window was admitted
     * afresh, and its record, which names the new message, stays — also when the retry is in this
     * very group, since appends write their records so that the group reads them back.
     */
    private void forgetIdempotencyRecord(GroupCommitter.Group group, MessageRecord record, Instant now)
            throws RocksDBException {
        byte[] key = Keys.idempotency(record.businessId(), record.clientMessageId());
        byte[] first = group.get(storage.idempotency, key);
        if (first != null && record.messageId().equals(Codec.outcome(first).messageId())
                && Codec.outcomeTime(first).plus(idempotencyWindow).isBefore(now)) {
            group.delete(storage.idempotency, key);
        }
    }
}
