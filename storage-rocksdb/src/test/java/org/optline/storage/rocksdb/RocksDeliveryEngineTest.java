package org.optline.storage.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.optline.core.delivery.DeliveryEngineContractTest;
import org.optline.core.delivery.MessageState;
import org.optline.core.delivery.Settlement;
import org.optline.core.delivery.Transition;
import org.optline.core.idempotency.IdempotencyWindow;
import org.optline.core.message.Category;
import org.optline.core.message.Outcome;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.storage.StorageEngine;
import org.optline.core.testing.Appends;

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

    /** The idempotency record stored under (bank, clientMessageId), or null. */
    private Outcome idempotencyRecord(String clientMessageId) {
        RocksStorage storage = ((RocksStorageEngine) engine).storage();
        byte[] value = storage.get(storage.idempotency, Keys.idempotency("bank", clientMessageId));
        return value == null ? null : Codec.outcome(value);
    }

    private QueuedMessage delivered(String clientMessageId) {
        QueuedMessage message = append(ALICE, clientMessageId, Category.TRANSACTIONAL, 3600);
        engine.inbox().settle(ALICE, List.of(message.messageId()), Settlement.DELIVERED, clock.instant()).join();
        return message;
    }

    @Test
    void aMessagesIdempotencyRecordGoesWithItsStatusOnceTheWindowNoLongerReadsIt() {
        QueuedMessage old = delivered("old");
        clock.advance(Duration.ofDays(8));
        QueuedMessage recent = delivered("recent");
        QueuedMessage queued = append(ALICE, "queued", Category.TRANSACTIONAL, 3600);

        assertThat(engine.history().purge(clock.instant().minus(Duration.ofDays(7)), 10).join().purged()).isEqualTo(1);

        assertThat(idempotencyRecord("old")).as("past the window, its status gone").isNull();
        assertThat(idempotencyRecord("recent").messageId()).isEqualTo(recent.messageId());
        assertThat(idempotencyRecord("queued").messageId()).isEqualTo(queued.messageId());
        assertThat(engine.history().record(old.messageId()).join()).isEmpty();
        reopen();
        assertThat(idempotencyRecord("old")).isNull();
    }

    @Test
    void aStatusPurgedWithinTheWindowLeavesTheRecordThatStillAnswersRetries() {
        QueuedMessage message = delivered("c-1");
        clock.advance(Duration.ofHours(2));

        // A retention shorter than the window (one hour against 24): the status goes, the record stays.
        assertThat(engine.history().purge(clock.instant().minus(Duration.ofHours(1)), 10).join().purged()).isEqualTo(1);

        assertThat(engine.idempotency().find("bank", "c-1").join()).get()
                .extracting(Outcome::messageId).isEqualTo(message.messageId());
    }

    @Test
    void aRetryAcceptedAfterTheWindowKeepsItsRecordWhenTheOldStatusGoesInTheSameGroup() throws Exception {
        QueuedMessage first = delivered("statement-42");
        clock.advance(Duration.ofDays(8));
        QueuedMessage again = message(ALICE, "bank", "statement-42", Category.TRANSACTIONAL, 3600);

        // The writer is held, so that the new message's append and the old status's purge wait
        // for it together and are committed in one group, the append first.
        RocksStorage storage = ((RocksStorageEngine) engine).storage();
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Object> held = storage.write(group -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        CompletableFuture<Void> appended = engine.deliveryLog().append(Appends.accepted(again));
        var purged = engine.history().purge(clock.instant().minus(Duration.ofDays(7)), 10);
        release.countDown();
        held.join();
        appended.join();

        assertThat(purged.join().purged()).isEqualTo(1);
        assertThat(engine.history().record(first.messageId()).join()).isEmpty();
        assertThat(idempotencyRecord("statement-42")).as("the retry's record").isNotNull()
                .extracting(Outcome::messageId).isEqualTo(again.messageId());
        assertThat(engine.history().recordByClientMessageId("bank", "statement-42").join()).get()
                .extracting(r -> r.messageId()).isEqualTo(again.messageId());
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
