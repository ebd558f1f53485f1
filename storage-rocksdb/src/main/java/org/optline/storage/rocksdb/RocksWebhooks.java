package org.optline.storage.rocksdb;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.optline.core.webhook.OutboxEvent;
import org.optline.core.webhook.WebhookRegistration;
import org.optline.core.webhook.WebhookStore;
import org.rocksdb.ColumnFamilyHandle;

/**
 * Webhooks on disk: registrations under the business id, and each business's outbox and dead
 * letters under {@code business ‖ 0 ‖ sequence}, so a business's events are one range scan in
 * the order they were made durable. The outbox is filled by {@link RocksDeliveryQueues}'
 * transitions in their own group commit; it costs disk, never heap, however long a receiver is down.
 */
public final class RocksWebhooks implements WebhookStore {
    private final RocksStorage storage;

    public RocksWebhooks(RocksStorage storage) {
        this.storage = storage;
    }

    @Override
    public CompletableFuture<Optional<WebhookRegistration>> registration(String businessId) {
        return RocksStorage.read(() -> Optional.ofNullable(storage.get(storage.webhooks, Keys.business(businessId)))
                .map(Codec::registration));
    }

    @Override
    public CompletableFuture<Void> register(WebhookRegistration registration) {
        byte[] value = Codec.registration(registration);
        return storage.write(group -> {
            group.put(storage.webhooks, Keys.business(registration.businessId()), value);
            return null;
        });
    }

    @Override
    public CompletableFuture<Optional<WebhookRegistration>> update(String businessId,
            UnaryOperator<Optional<WebhookRegistration>> change) {
        // Read and written in the writer: the one writer serialises the changes of a registration.
        return storage.write(group -> {
            byte[] stored = group.get(storage.webhooks, Keys.business(businessId));
            Optional<WebhookRegistration> changed = change.apply(
                    Optional.ofNullable(stored).map(Codec::registration));
            if (changed.isPresent()) {
                group.putVisible(storage.webhooks, Keys.business(businessId), Codec.registration(changed.get()));
            }
            return changed;
        });
    }

    @Override
    public CompletableFuture<Void> unregister(String businessId) {
        byte[] prefix = Keys.businessPrefix(businessId);
        byte[] end = Keys.businessPrefixEnd(businessId);
        // Two range deletions, whatever the size of the outbox: no scan, and nothing held in memory.
        return storage.write(group -> {
            group.delete(storage.webhooks, Keys.business(businessId));
            group.deleteRange(storage.outbox, prefix, end);
            group.deleteRange(storage.deadLetters, prefix, end);
            return null;
        });
    }

    @Override
    public CompletableFuture<Set<String>> businessesWithEvents() {
        return RocksStorage.read(() -> {
            // One seek per business, however many events each has waiting.
            Set<String> businesses = new TreeSet<>();
            byte[] key = storage.firstKeyFrom(storage.outbox, new byte[0]);
            while (key != null) {
                String business = Keys.businessOfEvent(key);
                businesses.add(business);
                key = storage.firstKeyFrom(storage.outbox, Keys.businessPrefixEnd(business));
            }
            return businesses;
        });
    }

    @Override
    public CompletableFuture<List<OutboxEvent>> pending(String businessId, int max) {
        return RocksStorage.read(() -> events(storage.outbox, businessId, max));
    }

    private List<OutboxEvent> events(ColumnFamilyHandle family, String businessId, int max) {
        List<OutboxEvent> events = new ArrayList<>();
        if (max <= 0) {
            return events;
        }
        storage.scan(family, Keys.businessPrefix(businessId), (key, value) -> {
            events.add(new OutboxEvent(Keys.sequenceOf(key), Codec.transition(value)));
            return events.size() < max;
        });
        return events;
    }

    @Override
    public CompletableFuture<Void> remove(String businessId, long throughSequence) {
        return move(businessId, throughSequence, false);
    }

    @Override
    public CompletableFuture<Void> deadLetter(String businessId, long throughSequence) {
        return move(businessId, throughSequence, true);
    }

    /**
     * Removes the outbox events up to a sequence, keeping them as dead letters when asked. They are
     * read on the calling store thread; the writer only checks that they are still there.
     */
    private CompletableFuture<Void> move(String businessId, long throughSequence, boolean keepAsDead) {
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        try {
            storage.scan(storage.outbox, Keys.businessPrefix(businessId), (key, value) -> {
                if (Keys.sequenceOf(key) > throughSequence) {
                    return false;
                }
                keys.add(key);
                values.add(value);
                return true;
            });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (keys.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return storage.write(group -> {
            for (int i = 0; i < keys.size(); i++) {
                // Gone since (the webhook was removed meanwhile): not brought back as a dead letter.
                if (keepAsDead && group.get(storage.outbox, keys.get(i)) != null) {
                    group.put(storage.deadLetters, keys.get(i), values.get(i));
                }
                group.delete(storage.outbox, keys.get(i));
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<List<OutboxEvent>> deadLetters(String businessId, int max) {
        return RocksStorage.read(() -> events(storage.deadLetters, businessId, max));
    }

    @Override
    public CompletableFuture<Dropped> dropDeadLetters(Instant before, int max) {
        List<byte[]> due = new ArrayList<>();
        try {
            // On the calling store thread: each business's oldest dead letters, one seek per business.
            byte[] key = storage.firstKeyFrom(storage.deadLetters, new byte[0]);
            while (key != null && due.size() < max) {
                String business = Keys.businessOfEvent(key);
                storage.scan(storage.deadLetters, Keys.businessPrefix(business), (deadKey, value) -> {
                    if (!Codec.transition(value).at().isBefore(before)) {
                        return false;
                    }
                    due.add(deadKey);
                    return due.size() < max;
                });
                key = storage.firstKeyFrom(storage.deadLetters, Keys.businessPrefixEnd(business));
            }
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (due.isEmpty()) {
            return CompletableFuture.completedFuture(new Dropped(0, false));
        }
        return storage.write(group -> {
            for (byte[] deadKey : due) {
                group.delete(storage.deadLetters, deadKey);
            }
            return new Dropped(due.size(), due.size() == max);
        });
    }

    @Override
    public CompletableFuture<Integer> replay(String businessId, int max) {
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        try {
            storage.scan(storage.deadLetters, Keys.businessPrefix(businessId), (key, value) -> {
                keys.add(key);
                values.add(value);
                return keys.size() < max;
            });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (keys.isEmpty()) {
            return CompletableFuture.completedFuture(0);
        }
        return storage.write(group -> {
            int moved = 0;
            for (int i = 0; i < keys.size(); i++) {
                if (group.get(storage.deadLetters, keys.get(i)) == null) {
                    // Replayed, dropped or removed with the webhook since it was read.
                    continue;
                }
                group.delete(storage.deadLetters, keys.get(i));
                // A new sequence: after whatever is pending now.
                group.put(storage.outbox, Keys.businessSequenced(businessId, group.nextSequence()), values.get(i));
                moved++;
            }
            return moved;
        });
    }
}
