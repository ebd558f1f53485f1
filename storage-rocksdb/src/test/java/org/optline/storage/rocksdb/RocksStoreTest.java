package org.optline.storage.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.optline.core.consent.ConsentAction;
import org.optline.core.consent.ConsentChange;
import org.optline.core.consent.ConsentClass;
import org.optline.core.consent.ConsentKey;
import org.optline.core.consent.ConsentRecord;
import org.optline.core.consent.ConsentSource;
import org.optline.core.consent.ConsentState;
import org.optline.core.delivery.Settlement;
import org.optline.core.idempotency.IdempotencyRecord;
import org.optline.core.message.Category;
import org.optline.core.message.Outcome;
import org.optline.core.message.Reason;
import org.optline.core.queue.MessageIds;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.storage.StorageException;
import org.optline.core.testing.Appends;
import org.optline.core.testing.MutableClock;

/**
 * The RocksDB store on a temporary directory: queues, consents and idempotency records, what
 * survives a close and reopen, and the group commit under concurrent appends.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RocksStoreTest {
    private static final String BANK = "test-bank";
    private static final String SHOP = "test-shop";
    private static final Duration WINDOW = Duration.ofHours(24);
    private static final PhoneNumber ALICE = number("+447911100001");
    private static final PhoneNumber BOB = number("+447911100002");

    @TempDir
    Path directory;

    private final MutableClock clock = new MutableClock();
    private final MessageIds ids = new MessageIds(clock);
    private RocksStorage storage;

    @BeforeEach
    void open() {
        storage = RocksStorage.open(directory.resolve("store"));
    }

    @AfterEach
    void close() {
        if (storage != null) {
            storage.close();
        }
    }

    private void reopen() {
        storage.close();
        storage = null;
        storage = RocksStorage.open(directory.resolve("store"));
    }

    private static PhoneNumber number(String e164) {
        return PhoneNumber.parse(e164).orElseThrow();
    }

    private QueuedMessage message(PhoneNumber recipient, String clientMessageId) {
        return new QueuedMessage(ids.next(), BANK, clientMessageId, recipient, Category.TRANSACTIONAL, false,
                "Your balance is 120.50 EUR (" + clientMessageId + ")", clock.instant(), 0, "");
    }

    private static List<String> clientIds(List<QueuedMessage> messages) {
        return messages.stream().map(QueuedMessage::clientMessageId).toList();
    }

    private static void appendAndWait(RocksDeliveryQueues queues, QueuedMessage... messages) throws Exception {
        queues.append(Appends.accepted(messages)).get(10, TimeUnit.SECONDS);
    }

    private ConsentChange change(PhoneNumber recipient, String businessId, ConsentAction action,
                                 ConsentClass consentClass) {
        return new ConsentChange(recipient, businessId, action, consentClass, ConsentSource.APP, "v1", clock.instant());
    }

    // --- delivery queues ---

    /** Acknowledges messages as the delivery side does; how many were queued and are now delivered. */
    private static CompletableFuture<Integer> delivered(RocksDeliveryQueues queues, PhoneNumber recipient,
                                                        List<String> messageIds) {
        return queues.settle(recipient, messageIds, Settlement.DELIVERED, Instant.parse("2025-03-01T09:00:00Z"))
                .thenApply(List::size);
    }

    @Test
    void queuesKeepEachRecipientsOrderAcrossSeveralAppends() throws Exception {
        RocksDeliveryQueues queues = new RocksDeliveryQueues(storage);

        appendAndWait(queues, message(ALICE, "a1"), message(BOB, "b1"), message(ALICE, "a2"));
        appendAndWait(queues, message(ALICE, "a3"));
        appendAndWait(queues, message(BOB, "b2"), message(ALICE, "a4"));

        assertThat(clientIds(queues.peek(ALICE, Integer.MAX_VALUE).join())).containsExactly("a1", "a2", "a3", "a4");
        assertThat(clientIds(queues.peek(BOB, Integer.MAX_VALUE).join())).containsExactly("b1", "b2");
    }

    @Test
    void aQueuedMessageIsFoundByItsIdWithEveryFieldIntact() throws Exception {
        RocksDeliveryQueues queues = new RocksDeliveryQueues(storage);
        QueuedMessage stored = new QueuedMessage(ids.next(), SHOP, "c-1", ALICE, Category.MARKETING, true,
                "Spring offer: 20% off, ünïcödé ✓ — " + "x".repeat(2_000), Instant.parse("2025-03-01T09:00:00.123456789Z"),
                3_600, "spring-campaign");

        appendAndWait(queues, stored);

        assertThat(queues.find(stored.messageId()).join()).hasValueSatisfying(found -> {
            assertThat(found.messageId()).isEqualTo(stored.messageId());
            assertThat(found.businessId()).isEqualTo(SHOP);
            assertThat(found.clientMessageId()).isEqualTo("c-1");
            assertThat(found.recipient()).isEqualTo(ALICE);
            assertThat(found.category()).isEqualTo(Category.MARKETING);
            assertThat(found.reclassified()).isTrue();
            assertThat(found.text()).isEqualTo(stored.text());
            assertThat(found.acceptedAt()).isEqualTo(stored.acceptedAt());
            assertThat(found.ttlSeconds()).isEqualTo(3_600);
            assertThat(found.campaignId()).isEqualTo("spring-campaign");
        });
        assertThat(queues.find("0195a1b2-0000-7000-8000-000000000000").join()).isEmpty();
    }

    @Test
    void peekReturnsAtMostMaxOfTheOldestMessages() throws Exception {
        RocksDeliveryQueues queues = new RocksDeliveryQueues(storage);
        for (int i = 1; i <= 5; i++) {
            appendAndWait(queues, message(ALICE, "a" + i));
        }

        assertThat(clientIds(queues.peek(ALICE, 2).join())).containsExactly("a1", "a2");
        assertThat(clientIds(queues.peek(ALICE, 1).join())).containsExactly("a1");
        assertThat(queues.peek(ALICE, 100).join()).hasSize(5);
        assertThat(queues.peek(BOB, 100).join()).isEmpty();
    }

    @Test
    void aRecipientsQueueIsNotMixedWithANumberThatExtendsIt() throws Exception {
        // Berlin numbers vary in length: one can be the start of another. The zero byte after the
        // number keeps their queues apart.
        PhoneNumber shorter = number("+4930123456");
        PhoneNumber longer = number("+49301234567");
        RocksDeliveryQueues queues = new RocksDeliveryQueues(storage);

        appendAndWait(queues, message(longer, "longer"), message(shorter, "shorter"));

        assertThat(clientIds(queues.peek(shorter, 10).join())).containsExactly("shorter");
        assertThat(clientIds(queues.peek(longer, 10).join())).containsExactly("longer");
        QueuedMessage l2 = message(longer, "longer-2");
        appendAndWait(queues, l2);
        assertThat(delivered(queues, shorter, List.of(l2.messageId())).join()).isZero();
    }

    @Test
    void acknowledgeRemovesOnlyTheGivenRecipientsMessages() throws Exception {
        RocksDeliveryQueues queues = new RocksDeliveryQueues(storage);
        QueuedMessage a1 = message(ALICE, "a1");
        QueuedMessage a2 = message(ALICE, "a2");
        QueuedMessage b1 = message(BOB, "b1");
        appendAndWait(queues, a1, a2, b1);

        int removed = delivered(queues, ALICE, List.of(a1.messageId(), b1.messageId(), "no-such-id")).join();

        assertThat(removed).isEqualTo(1);
        assertThat(clientIds(queues.peek(ALICE, 10).join())).containsExactly("a2");
        assertThat(clientIds(queues.peek(BOB, 10).join())).containsExactly("b1");
        assertThat(queues.find(a1.messageId()).join()).isEmpty();
        assertThat(queues.find(b1.messageId()).join()).isPresent();
        assertThat(delivered(queues, ALICE, List.of(a1.messageId())).join()).isZero();
    }

    @Test
    void acknowledgedMessagesStayGoneAfterReopen() throws Exception {
        RocksDeliveryQueues queues = new RocksDeliveryQueues(storage);
        QueuedMessage a1 = message(ALICE, "a1");
        appendAndWait(queues, a1, message(ALICE, "a2"));
        delivered(queues, ALICE, List.of(a1.messageId())).join();

        reopen();

        RocksDeliveryQueues reopened = new RocksDeliveryQueues(storage);
        assertThat(clientIds(reopened.peek(ALICE, 10).join())).containsExactly("a2");
        assertThat(reopened.find(a1.messageId()).join()).isEmpty();
    }

    @Test
    void sequenceNumbersContinueAfterReopenSoNewMessagesSortAfterOldOnes() throws Exception {
        RocksDeliveryQueues queues = new RocksDeliveryQueues(storage);
        appendAndWait(queues, message(ALICE, "a1"), message(ALICE, "a2"));
        appendAndWait(queues, message(BOB, "b1"));

        reopen();
        RocksDeliveryQueues reopened = new RocksDeliveryQueues(storage);
        appendAndWait(reopened, message(ALICE, "a3"));
        reopen();
        reopened = new RocksDeliveryQueues(storage);
        appendAndWait(reopened, message(ALICE, "a4"), message(BOB, "b2"));

        assertThat(clientIds(reopened.peek(ALICE, 10).join())).containsExactly("a1", "a2", "a3", "a4");
        assertThat(clientIds(reopened.peek(BOB, 10).join())).containsExactly("b1", "b2");
    }

    // --- consents ---

    @Test
    void anUnknownConsentIsNone() {
        RocksConsentStore consents = new RocksConsentStore(storage);

        assertThat(consents.get(new ConsentKey(ALICE, BANK)).join()).isEqualTo(ConsentRecord.NONE);
        assertThat(consents.recipientRecords(ALICE).join()).isEmpty();
        assertThat(consents.history(ALICE).join()).isEmpty();
    }

    @Test
    void appliedChangesAreReadBackPerBusinessAndRecipientWide() throws Exception {
        RocksConsentStore consents = new RocksConsentStore(storage);

        consents.apply(change(ALICE, BANK, ConsentAction.OPT_IN, ConsentClass.TRANSACTIONAL)).get(10, TimeUnit.SECONDS);
        consents.apply(change(ALICE, SHOP, ConsentAction.OPT_IN, ConsentClass.MARKETING)).get(10, TimeUnit.SECONDS);
        consents.apply(change(ALICE, SHOP, ConsentAction.BLOCK, null)).get(10, TimeUnit.SECONDS);
        consents.apply(change(ALICE, null, ConsentAction.MARKETING_OFF, null)).get(10, TimeUnit.SECONDS);
        consents.apply(change(BOB, BANK, ConsentAction.OPT_OUT, ConsentClass.TRANSACTIONAL)).get(10, TimeUnit.SECONDS);

        assertThat(consents.get(new ConsentKey(ALICE, BANK)).join())
                .isEqualTo(new ConsentRecord(ConsentState.OPTED_IN, ConsentState.ABSENT, false));
        assertThat(consents.get(new ConsentKey(ALICE, SHOP)).join())
                .isEqualTo(new ConsentRecord(ConsentState.ABSENT, ConsentState.OPTED_IN, true));
        assertThat(consents.get(ConsentKey.everyBusiness(ALICE)).join().marketing()).isEqualTo(ConsentState.OPTED_OUT);
        assertThat(consents.recipientRecords(ALICE).join()).containsOnlyKeys(BANK, SHOP, ConsentKey.EVERY_BUSINESS);
        assertThat(consents.recipientRecords(BOB).join()).isEqualTo(Map.of(BANK,
                new ConsentRecord(ConsentState.OPTED_OUT, ConsentState.ABSENT, false)));
    }

    @Test
    void historyKeepsEveryChangeOfTheRecipientInOrder() throws Exception {
        RocksConsentStore consents = new RocksConsentStore(storage);
        List<ConsentChange> changes = new ArrayList<>();
        changes.add(change(ALICE, BANK, ConsentAction.OPT_IN, ConsentClass.TRANSACTIONAL));
        clock.advance(Duration.ofMinutes(1));
        changes.add(change(ALICE, BANK, ConsentAction.OPT_OUT, ConsentClass.TRANSACTIONAL));
        clock.advance(Duration.ofMinutes(1));
        changes.add(change(ALICE, BANK, ConsentAction.OPT_IN, ConsentClass.TRANSACTIONAL));
        changes.add(change(ALICE, SHOP, ConsentAction.BLOCK, null));
        for (ConsentChange c : changes) {
            consents.apply(c).get(10, TimeUnit.SECONDS);
        }
        consents.apply(change(BOB, BANK, ConsentAction.OPT_IN, ConsentClass.MARKETING)).get(10, TimeUnit.SECONDS);

        assertThat(consents.history(ALICE).join()).containsExactlyElementsOf(changes);
        assertThat(consents.history(BOB).join()).hasSize(1);
        assertThat(consents.get(new ConsentKey(ALICE, BANK)).join().transactional()).isEqualTo(ConsentState.OPTED_IN);
    }

    @Test
    void consentsAndTheirHistorySurviveReopenAndLaterChangesAreAppendedAfterThem() throws Exception {
        RocksConsentStore consents = new RocksConsentStore(storage);
        ConsentChange optIn = change(ALICE, BANK, ConsentAction.OPT_IN, ConsentClass.TRANSACTIONAL);
        ConsentChange block = change(ALICE, SHOP, ConsentAction.BLOCK, null);
        consents.apply(optIn).get(10, TimeUnit.SECONDS);
        consents.apply(block).get(10, TimeUnit.SECONDS);

        reopen();
        RocksConsentStore reopened = new RocksConsentStore(storage);
        assertThat(reopened.get(new ConsentKey(ALICE, BANK)).join().transactional()).isEqualTo(ConsentState.OPTED_IN);
        assertThat(reopened.get(new ConsentKey(ALICE, SHOP)).join().blocked()).isTrue();
        ConsentChange optOut = change(ALICE, BANK, ConsentAction.OPT_OUT, ConsentClass.TRANSACTIONAL);
        reopened.apply(optOut).get(10, TimeUnit.SECONDS);

        assertThat(reopened.history(ALICE).join()).containsExactly(optIn, block, optOut);
        assertThat(reopened.get(new ConsentKey(ALICE, BANK)).join().transactional()).isEqualTo(ConsentState.OPTED_OUT);
    }

    @Test
    void concurrentChangesToOneRecipientAreAllApplied() throws Exception {
        RocksConsentStore consents = new RocksConsentStore(storage);
        List<CompletableFuture<Void>> applied = new ArrayList<>();
        // Two changes to the same record in one group: the second must see the first (read-modify-write).
        for (int i = 0; i < 50; i++) {
            applied.add(consents.apply(change(ALICE, "biz-" + i, ConsentAction.OPT_IN, ConsentClass.TRANSACTIONAL)));
            applied.add(consents.apply(change(ALICE, "biz-" + i, ConsentAction.OPT_IN, ConsentClass.MARKETING)));
        }
        CompletableFuture.allOf(applied.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

        Map<String, ConsentRecord> records = consents.recipientRecords(ALICE).join();
        assertThat(records).hasSize(50);
        assertThat(records.values()).containsOnly(new ConsentRecord(ConsentState.OPTED_IN, ConsentState.OPTED_IN, false));
        assertThat(consents.history(ALICE).join()).hasSize(100);
    }

    // --- idempotency records ---

    @Test
    void anAppendedMessageLeavesAnAcceptedIdempotencyRecord() throws Exception {
        RocksDeliveryQueues queues = new RocksDeliveryQueues(storage);
        RocksIdempotencyRecords records = new RocksIdempotencyRecords(storage, clock, WINDOW);
        QueuedMessage message = new QueuedMessage(ids.next(), BANK, "c-accepted", ALICE, Category.AUTHENTICATION,
                true, "Your code is 482913", clock.instant(), 0, "");

        appendAndWait(queues, message);

        Outcome found = records.find(BANK, "c-accepted").join().orElseThrow();
        assertThat(found.reason()).isEqualTo(Reason.ACCEPTED);
        assertThat(found.clientMessageId()).isEqualTo("c-accepted");
        assertThat(found.messageId()).isEqualTo(message.messageId());
        assertThat(found.category()).isEqualTo(Category.AUTHENTICATION);
        assertThat(found.reclassified()).isTrue();
        assertThat(records.find(SHOP, "c-accepted").join()).as("another business's key").isEmpty();
        assertThat(records.find(BANK, "c-unknown").join()).isEmpty();
    }

    @Test
    void aRecordedRefusalIsFoundAndSurvivesAReopen() {
        RocksIdempotencyRecords records = new RocksIdempotencyRecords(storage, clock, WINDOW);
        Outcome refusal = Outcome.refused("c-refused", Reason.NOT_OPTED_IN, Category.TRANSACTIONAL, false,
                "the recipient has not opted in");

        records.recordRefusal(new IdempotencyRecord(BANK, "c-refused", refusal, clock.instant()));

        assertThat(records.find(BANK, "c-refused").join()).hasValueSatisfying(found -> {
            assertThat(found.reason()).isEqualTo(Reason.NOT_OPTED_IN);
            assertThat(found.messageId()).isNull();
            assertThat(found.category()).isEqualTo(Category.TRANSACTIONAL);
            assertThat(found.detail()).isEqualTo("the recipient has not opted in");
        });
        reopen();
        assertThat(new RocksIdempotencyRecords(storage, clock, WINDOW).find(BANK, "c-refused").join())
                .map(Outcome::reason).hasValue(Reason.NOT_OPTED_IN);
    }

    @Test
    void recordsOlderThanTheWindowAreIgnored() throws Exception {
        RocksDeliveryQueues queues = new RocksDeliveryQueues(storage);
        RocksIdempotencyRecords records = new RocksIdempotencyRecords(storage, clock, WINDOW);
        appendAndWait(queues, message(ALICE, "c-old-accepted"));
        records.recordRefusal(new IdempotencyRecord(BANK, "c-old-refused",
                Outcome.refused("c-old-refused", Reason.OPTED_OUT, Category.TRANSACTIONAL, false, "opted out"),
                clock.instant()));

        clock.advance(WINDOW.minusSeconds(1));
        assertThat(records.find(BANK, "c-old-accepted").join()).as("just inside the window").isPresent();
        assertThat(records.find(BANK, "c-old-refused").join()).as("just inside the window").isPresent();

        clock.advance(Duration.ofSeconds(2));
        assertThat(records.find(BANK, "c-old-accepted").join()).isEmpty();
        assertThat(records.find(BANK, "c-old-refused").join()).isEmpty();
    }

    // --- group commit ---

    @Test
    void aConcurrentBurstOfAppendsAllCompleteAndAreAllFoundInOrder() throws Exception {
        RocksDeliveryQueues queues = new RocksDeliveryQueues(storage);
        int threads = 8;
        int appendsPerThread = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<List<QueuedMessage>>> sent = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                PhoneNumber own = number(String.format("+4479112%05d", t));
                PhoneNumber shared = number("+447911299999");
                int thread = t;
                sent.add(pool.submit(() -> {
                    start.await();
                    List<QueuedMessage> mine = new ArrayList<>();
                    List<CompletableFuture<Void>> appends = new ArrayList<>();
                    for (int i = 0; i < appendsPerThread; i++) {
                        List<QueuedMessage> batch = new ArrayList<>();
                        batch.add(message(own, "t" + thread + "-" + i + "-own"));
                        if (i % 3 == 0) {
                            batch.add(message(shared, "t" + thread + "-" + i + "-shared"));
                        }
                        mine.addAll(batch);
                        // Not waited for one by one: the appends pile up and are committed in groups.
                        appends.add(queues.append(Appends.accepted(batch)));
                    }
                    CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
                    return mine;
                }));
            }
            start.countDown();
            List<QueuedMessage> all = new ArrayList<>();
            for (Future<List<QueuedMessage>> f : sent) {
                all.addAll(f.get(40, TimeUnit.SECONDS));
            }

            for (QueuedMessage m : all) {
                assertThat(queues.find(m.messageId()).join()).as(m.clientMessageId()).isPresent();
            }
            for (int t = 0; t < threads; t++) {
                String ownPrefix = "t" + t + "-";
                List<String> expected = all.stream().map(QueuedMessage::clientMessageId)
                        .filter(id -> id.startsWith(ownPrefix) && id.endsWith("-own")).toList();
                List<String> queued = clientIds(queues.peek(number(String.format("+4479112%05d", t)),
                        Integer.MAX_VALUE).join());
                assertThat(queued).as("thread %d's own queue, in its order", t).containsExactlyElementsOf(expected);
            }
            List<String> shared = clientIds(queues.peek(number("+447911299999"), Integer.MAX_VALUE).join());
            Set<String> expectedShared = all.stream().map(QueuedMessage::clientMessageId)
                    .filter(id -> id.endsWith("-shared")).collect(Collectors.toSet());
            assertThat(shared).hasSize(expectedShared.size()).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(expectedShared);
            for (int t = 0; t < threads; t++) {
                String prefix = "t" + t + "-";
                List<Integer> order = shared.stream().filter(id -> id.startsWith(prefix))
                        .map(id -> Integer.parseInt(id.split("-")[1])).toList();
                assertThat(order).as("thread %d's appends to the shared queue", t).isSorted();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void appendsQueuedBeforeCloseAreCommittedAndAppendsAfterCloseFail() throws Exception {
        RocksDeliveryQueues queues = new RocksDeliveryQueues(storage);
        List<CompletableFuture<Void>> appends = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            appends.add(queues.append(Appends.accepted(message(ALICE, "before-close-" + i))));
        }

        storage.close();
        CompletableFuture<Void> afterClose = queues.append(Appends.accepted(message(ALICE, "after-close")));
        storage = null;

        CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertThat(afterClose).isCompletedExceptionally();
        storage = RocksStorage.open(directory.resolve("store"));
        assertThat(new RocksDeliveryQueues(storage).peek(ALICE, Integer.MAX_VALUE).join()).hasSize(100);
    }

    @Test
    void aFailingWriteFailsAloneAndLeavesNothingOfItselfForTheOthersInItsGroup() throws Exception {
        byte[] key = Keys.consent(storage.token(ALICE), "acme-bank");
        var failing = storage.write(group -> {
            group.putVisible(storage.consents, key, Codec.record(
                    org.optline.core.consent.ConsentRecord.NONE.apply(change(ALICE, "acme-bank",
                            ConsentAction.OPT_IN, org.optline.core.consent.ConsentClass.MARKETING))));
            throw new IllegalStateException("a bug in one write");
        });
        var reader = storage.write(group -> group.get(storage.consents, key));

        assertThat(failing).failsWithin(Duration.ofSeconds(10));
        assertThat(reader.get(10, java.util.concurrent.TimeUnit.SECONDS)).as("the failed write is not seen").isNull();
        assertThat(storage.get(storage.consents, key)).isNull();
    }

    @Test
    void anErrorThatKillsTheWriterFailsEveryWaitingWriteInsteadOfHangingThem() throws Exception {
        var fatal = storage.write(group -> {
            throw new OutOfMemoryError("simulated");
        });
        assertThat(fatal).failsWithin(Duration.ofSeconds(10));
        var after = storage.write(group -> null);
        assertThat(after).failsWithin(Duration.ofSeconds(10));
    }

    @Test
    void aDirectoryWithFilesButNoDatabaseIsRefusedAndNotStartedAfresh() throws Exception {
        storage.close();
        storage = null;
        Path store = directory.resolve("store");
        java.nio.file.Files.delete(store.resolve("CURRENT"));

        for (int attempt = 0; attempt < 2; attempt++) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> RocksStorage.open(store))
                    .isInstanceOf(StorageException.class);
            assertThat(store.resolve("CURRENT")).as("nothing recreated on attempt %d", attempt).doesNotExist();
        }
    }

    @Test
    void consentRequestsAreRememberedPerBusinessAndClassAcrossARestart() throws Exception {
        RocksConsentRequestStore requests = new RocksConsentRequestStore(storage);
        java.time.Instant asked = clock.instant();
        requests.recordAsked("acme-bank", ALICE, org.optline.core.consent.ConsentClass.MARKETING, asked)
                .get(10, java.util.concurrent.TimeUnit.SECONDS);

        reopen();
        requests = new RocksConsentRequestStore(storage);

        assertThat(requests.lastAsked("acme-bank", ALICE, org.optline.core.consent.ConsentClass.MARKETING).join())
                .contains(asked);
        assertThat(requests.lastAsked("acme-bank", ALICE, org.optline.core.consent.ConsentClass.TRANSACTIONAL).join())
                .isEmpty();
        assertThat(requests.lastAsked("other-shop", ALICE, org.optline.core.consent.ConsentClass.MARKETING).join())
                .isEmpty();
        assertThat(requests.lastAsked("acme-bank", BOB, org.optline.core.consent.ConsentClass.MARKETING).join()).isEmpty();
    }

    @Test
    void erasingARecipientForgetsEveryRequestMadeToThemAndNoOneElses() throws Exception {
        RocksConsentRequestStore requests = new RocksConsentRequestStore(storage);
        java.time.Instant asked = clock.instant();
        var marketing = org.optline.core.consent.ConsentClass.MARKETING;
        requests.recordAsked("acme-bank", ALICE, marketing, asked).get(10, TimeUnit.SECONDS);
        requests.recordAsked("other-shop", ALICE, marketing, asked).get(10, TimeUnit.SECONDS);
        requests.recordAsked("acme-bank", BOB, marketing, asked).get(10, TimeUnit.SECONDS);

        requests.erase(ALICE).get(10, TimeUnit.SECONDS);
        reopen();
        requests = new RocksConsentRequestStore(storage);

        assertThat(requests.lastAsked("acme-bank", ALICE, marketing).join()).isEmpty();
        assertThat(requests.lastAsked("other-shop", ALICE, marketing).join()).isEmpty();
        assertThat(requests.lastAsked("acme-bank", BOB, marketing).join()).contains(asked);
    }
}
