package org.optline.storage.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.optline.core.delivery.DeliveryEngineContractTest;
import org.optline.core.delivery.MessageState;
import org.optline.core.delivery.Transition;
import org.optline.core.idempotency.IdempotencyWindow;
import org.optline.core.message.Category;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.storage.StorageEngine;

/**
 * The delivery side's contract on RocksDB, each step reopened where it matters; and the move of
 * queues of the first layout (no category in the key) into the inbox when the store opens.
 */
class RocksDeliveryEngineTest extends DeliveryEngineContractTest {
    @Override
    protected StorageEngine open(Path directory) {
        return RocksStorageEngine.open(directory.resolve("store"), clock, IdempotencyWindow.DEFAULT_WINDOW);
    }

    @Override
    protected boolean durable() {
        return true;
    }

    @Test
    void queuesOfTheFirstLayoutAreMovedInOrderWhenTheStoreOpens() {
        engine.close();
        QueuedMessage offer = message(ALICE, "bank", "legacy-offer", Category.MARKETING, 0);
        QueuedMessage alert = message(ALICE, "bank", "legacy-alert", Category.TRANSACTIONAL, 60);
        // Written as the first version did: recipient ‖ 0 ‖ sequence in the queues family, version-1 values.
        try (RocksStorage storage = RocksStorage.open(directory.resolve("store"))) {
            storage.write(group -> {
                for (QueuedMessage m : List.of(offer, alert)) {
                    byte[] key = Keys.sequenced(storage.token(m.recipient()), group.nextSequence());
                    group.put(storage.queues, key, Codec.message(m, storage.numbers()));
                    group.put(storage.messageIndex, Keys.messageId(m.messageId()), key);
                }
                return null;
            }).join();
        }
        engine = open(directory);

        assertThat(engine.inbox().peek(ALICE, 10).join()).extracting(QueuedMessage::clientMessageId)
                .containsExactly("legacy-offer", "legacy-alert");
        assertThat(engine.inbox().find(alert.messageId()).join()).isPresent();
        assertThat(engine.inbox().lease(ALICE, 1, 10, clock.instant(), Duration.ofSeconds(30)).join().messages())
                .extracting(QueuedMessage::clientMessageId).containsExactly("legacy-alert", "legacy-offer");
        clock.advance(Duration.ofSeconds(61));
        assertThat(engine.inbox().expire(clock.instant(), 10).join().transitions()).extracting(t -> t.clientMessageId())
                .as("a time to live stored with a first-layout message is enforced; 0 still means none")
                .containsExactly("legacy-alert");
    }

    @Test
    void removingAWebhookWithAHugeOutboxDeletesItByRangeAndLeavesOtherBusinessesAlone() {
        RocksStorage storage = ((RocksStorageEngine) engine).storage();
        Transition event = new Transition("m", "bank", "c", "+4479•••0001", Category.TRANSACTIONAL,
                MessageState.DELIVERED, clock.instant(), clock.instant(), "");
        byte[] value = Codec.transition(event);
        storage.write(group -> {
            for (int i = 0; i < 50_000; i++) {
                group.put(storage.outbox, Keys.businessSequenced("bank", group.nextSequence()), value);
            }
            group.put(storage.deadLetters, Keys.businessSequenced("bank", group.nextSequence()), value);
            group.put(storage.outbox, Keys.businessSequenced("bank-2", group.nextSequence()), value);
            return null;
        }).join();

        engine.webhooks().unregister("bank").join();

        assertThat(engine.webhooks().pending("bank", 10).join()).isEmpty();
        assertThat(engine.webhooks().deadLetters("bank", 10).join()).isEmpty();
        assertThat(engine.webhooks().businessesWithEvents().join()).containsExactly("bank-2");
    }

    @Test
    void aRangeDeletedInAGroupIsGoneForTheGroupsLaterReadsButNotItsLaterWrites() {
        RocksStorage storage = ((RocksStorageEngine) engine).storage();
        byte[] onDisk = Keys.businessSequenced("bank", 1);
        byte[] earlier = Keys.businessSequenced("bank", 2);
        byte[] later = Keys.businessSequenced("bank", 3);
        byte[] value = {1};
        storage.write(group -> {
            group.put(storage.outbox, onDisk, value);
            return null;
        }).join();

        List<Boolean> seen = storage.write(group -> {
            group.putVisible(storage.outbox, earlier, value);
            group.deleteRange(storage.outbox, Keys.businessPrefix("bank"), Keys.businessPrefixEnd("bank"));
            group.putVisible(storage.outbox, later, value);
            return List.of(group.get(storage.outbox, onDisk) == null, group.get(storage.outbox, earlier) == null,
                    group.get(storage.outbox, later) != null);
        }).join();

        assertThat(seen).containsOnly(true);
        assertThat(storage.get(storage.outbox, onDisk)).isNull();
        assertThat(storage.get(storage.outbox, earlier)).isNull();
        assertThat(storage.get(storage.outbox, later)).isEqualTo(value);
    }

    /** Writes messages as the first version did: recipient ‖ 0 ‖ sequence in the queues family. */
    private List<QueuedMessage> writeFirstLayout(RocksStorage storage, int count) {
        List<QueuedMessage> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            messages.add(message(i % 2 == 0 ? ALICE : BOB, "bank", "legacy-" + i,
                    i % 3 == 0 ? Category.MARKETING : Category.TRANSACTIONAL, 0));
        }
        storage.write(group -> {
            for (QueuedMessage m : messages) {
                byte[] key = Keys.sequenced(storage.token(m.recipient()), group.nextSequence());
                group.put(storage.queues, key, Codec.message(m, storage.numbers()));
                group.put(storage.messageIndex, Keys.messageId(m.messageId()), key);
            }
            return null;
        }).join();
        return messages;
    }

    private List<String> queued(PhoneNumber recipient) {
        return engine.inbox().peek(recipient, 100).join().stream().map(QueuedMessage::messageId).toList();
    }

    private static List<String> idsTo(List<QueuedMessage> messages, PhoneNumber recipient) {
        return messages.stream().filter(m -> m.recipient().equals(recipient)).map(QueuedMessage::messageId).toList();
    }

    @Test
    void aMigrationInManyBatchesMovesEveryMessageOnceInOrder() {
        engine.close();
        List<QueuedMessage> legacy;
        try (RocksStorage storage = RocksStorage.open(directory.resolve("store"))) {
            legacy = writeFirstLayout(storage, 25);
            assertThat(new LegacyQueueMigration(storage, 4).run()).isEqualTo(25);
            assertThat(new LegacyQueueMigration(storage, 4).run()).as("nothing left to move").isZero();
        }
        engine = open(directory);

        assertThat(queued(ALICE)).containsExactlyElementsOf(idsTo(legacy, ALICE));
        assertThat(queued(BOB)).containsExactlyElementsOf(idsTo(legacy, BOB));
    }

    @Test
    void aMigrationInterruptedAfterABatchGoesOnWhenTheStoreOpensAgain() {
        engine.close();
        List<QueuedMessage> legacy;
        try (RocksStorage storage = RocksStorage.open(directory.resolve("store"))) {
            legacy = writeFirstLayout(storage, 25);
            // The process dies after the first batch's write.
            assertThat(new LegacyQueueMigration(storage, 10).moveBatch(new byte[0])).hasSize(10);
        }
        engine = open(directory);

        assertThat(queued(ALICE)).as("moved once each, in order").containsExactlyElementsOf(idsTo(legacy, ALICE));
        assertThat(queued(BOB)).containsExactlyElementsOf(idsTo(legacy, BOB));
        assertThat(engine.inbox().find(legacy.get(24).messageId()).join()).isPresent();
    }
}
