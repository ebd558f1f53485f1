package org.optline.storage.rocksdb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.optline.core.delivery.Priority;
import org.optline.core.queue.QueuedMessage;

/**
 * Moves the messages of the first layout ({@code queues}: keyed {@code recipient ‖ 0 ‖ sequence},
 * no category in the key, time to live never enforced) into the inbox when the store opens,
 * keeping their sequence so that order survives the upgrade. Their time to live is theirs as
 * stored: 0 meant "no limit" then, and still does for them.
 *
 * <p>Each batch is one atomic write that adds the messages to the inbox (with their index and
 * expiry entries) and deletes them from the old family: a crash between batches leaves every
 * message in exactly one of the two, and the next start goes on. Each batch reads on from the last
 * key it moved, never again over the deleted ones. There is no way back: a store opened by this
 * version cannot be read by the first one.
 */
final class LegacyQueueMigration {
    /** Entries moved per group commit. */
    static final int BATCH = 10_000;

    private final RocksStorage storage;
    private final int batch;

    LegacyQueueMigration(RocksStorage storage, int batch) {
        this.storage = storage;
        this.batch = batch;
    }

    LegacyQueueMigration(RocksStorage storage) {
        this(storage, BATCH);
    }

    /** Moves every message of the first layout; returns how many there were. Blocks (it runs at open). */
    long run() {
        long moved = 0;
        byte[] from = new byte[0];
        while (true) {
            List<byte[]> keys = moveBatch(from);
            moved += keys.size();
            if (keys.size() < batch) {
                return moved;
            }
            // Just past the last key moved: the smallest key that sorts after it.
            byte[] last = keys.get(keys.size() - 1);
            from = Arrays.copyOf(last, last.length + 1);
        }
    }

    /** Moves up to a batch of entries from {@code from} on, in one atomic write; returns their old keys. */
    List<byte[]> moveBatch(byte[] from) {
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        storage.scanFrom(storage.queues, from, (key, value) -> {
            keys.add(key);
            values.add(value);
            return keys.size() < batch;
        });
        if (keys.isEmpty()) {
            return keys;
        }
        storage.write(group -> {
            for (int i = 0; i < keys.size(); i++) {
                QueuedMessage message = Codec.message(values.get(i), storage.numbers());
                byte[] queueKey = Keys.inbox(storage.token(message.recipient()), Priority.rank(message.category()),
                        Keys.sequenceOf(keys.get(i)));
                // Sealed as it moves, whichever layout it was written in.
                group.put(storage.inbox, queueKey, Codec.message(message, storage.numbers()));
                group.put(storage.messageIndex, Keys.messageId(message.messageId()), queueKey);
                if (message.expiresAt() != null) {
                    group.put(storage.expiries, Keys.timed(message.expiresAt().toEpochMilli(), queueKey), new byte[0]);
                }
                group.delete(storage.queues, keys.get(i));
            }
            return null;
        }).join();
        return keys;
    }
}
