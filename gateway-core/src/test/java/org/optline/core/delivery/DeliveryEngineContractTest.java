package org.optline.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optline.core.inbox.Inbox;
import org.optline.core.message.Category;
import org.optline.core.queue.MessageIds;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.storage.StorageEngine;
import org.optline.core.testing.Appends;
import org.optline.core.testing.MutableClock;
import org.optline.core.webhook.OutboxEvent;
import org.optline.core.webhook.WebhookStore;

/**
 * What every storage engine's delivery side must do, whatever it is built on: hand-out order,
 * leases, transitions with their statuses and outbox events, expiry, retention and erasure. Each
 * engine runs it by extending it with a way to open itself (and to reopen, for a durable one).
 */
public abstract class DeliveryEngineContractTest {
    protected static final PhoneNumber ALICE = PhoneNumber.parse("+447911100001").orElseThrow();
    protected static final PhoneNumber BOB = PhoneNumber.parse("+447911100002").orElseThrow();
    private static final Duration LEASE = Duration.ofSeconds(30);
    /** Holders of leases: three readers. */
    private static final long READER_1 = 1;
    private static final long READER_2 = 2;
    private static final long READER_3 = 3;

    @TempDir
    protected Path directory;

    protected final MutableClock clock = new MutableClock();
    private final MessageIds ids = new MessageIds(clock);
    protected StorageEngine engine;

    /** Opens the engine (again, on the same directory, for a durable one). */
    protected abstract StorageEngine open(Path directory);

    /** True when what was written survives {@link #reopen()}. */
    protected abstract boolean durable();

    @BeforeEach
    void start() {
        engine = open(directory);
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    protected void reopen() {
        engine.close();
        engine = open(directory);
    }

    protected QueuedMessage message(PhoneNumber to, String business, String clientId, Category category, int ttl) {
        return new QueuedMessage(ids.next(), business, clientId, to, category, false, "text of " + clientId,
                clock.instant(), ttl, "");
    }

    protected QueuedMessage append(PhoneNumber to, String clientId, Category category, int ttl) {
        QueuedMessage message = message(to, "bank", clientId, category, ttl);
        engine.deliveryLog().append(Appends.accepted(message)).join();
        return message;
    }

    private QueuedMessage appendFrom(String business, String clientId, Category category) {
        QueuedMessage message = message(ALICE, business, clientId, category, 3600);
        engine.deliveryLog().append(Appends.accepted(message)).join();
        return message;
    }

    private Inbox inbox() {
        return engine.inbox();
    }

    private List<String> lease(PhoneNumber who, int max) {
        return lease(who, READER_1, max);
    }

    private List<String> lease(PhoneNumber who, long holder, int max) {
        return inbox().lease(who, holder, max, clock.instant(), LEASE).join().messages().stream()
                .map(QueuedMessage::clientMessageId).toList();
    }

    @Test
    void aLeaseHandsOutByCategoryThenAcceptanceOrderWhilePeekShowsAcceptanceOrder() {
        append(ALICE, "offer", Category.MARKETING, 3600);
        append(ALICE, "alert-1", Category.TRANSACTIONAL, 3600);
        append(ALICE, "code", Category.AUTHENTICATION, 600);
        append(ALICE, "alert-2", Category.TRANSACTIONAL, 3600);

        assertThat(inbox().peek(ALICE, 10).join()).extracting(QueuedMessage::clientMessageId)
                .containsExactly("offer", "alert-1", "code", "alert-2");
        assertThat(lease(ALICE, 3)).containsExactly("code", "alert-1", "alert-2");
        assertThat(lease(ALICE, 3)).containsExactly("offer");
        assertThat(lease(BOB, 3)).isEmpty();
    }

    @Test
    void aListenerOfArrivalsThatFailsNeverFailsTheAppend() throws Exception {
        CompletableFuture<PhoneNumber> heard = new CompletableFuture<>();
        engine.arrivals().subscribe(recipient -> {
            throw new IllegalStateException("a bug in a listener");
        });
        // Registered after the failing one, so it hears after it.
        engine.arrivals().subscribe(heard::complete);
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> reported.add(e));
        try {
            QueuedMessage message = message(ALICE, "bank", "a", Category.TRANSACTIONAL, 3600);
            engine.deliveryLog().append(Appends.accepted(message)).join();

            assertThat(inbox().find(message.messageId()).join()).isPresent();
            assertThat(heard.get(10, TimeUnit.SECONDS)).as("the other listeners still hear").isEqualTo(ALICE);
            assertThat(reported).singleElement().extracting(Throwable::getMessage).isEqualTo("a bug in a listener");
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
    }

    @Test
    void aLeasedMessageComesBackWhenItsLeaseRunsOutOrIsReleased() {
        QueuedMessage first = append(ALICE, "a", Category.TRANSACTIONAL, 3600);
        append(ALICE, "b", Category.TRANSACTIONAL, 3600);
        assertThat(lease(ALICE, READER_1, 1)).containsExactly("a");

        Inbox.Leased second = inbox().lease(ALICE, READER_2, 10, clock.instant(), LEASE).join();
        assertThat(second.messages()).as("b waits while reader 1 holds a: b must not overtake it").isEmpty();
        assertThat(second.heldUntil()).isEqualTo(clock.instant().plus(LEASE));

        clock.advance(LEASE);
        Inbox.Leased again = inbox().lease(ALICE, READER_1, 10, clock.instant(), LEASE).join();
        assertThat(again.messages()).extracting(QueuedMessage::clientMessageId).containsExactly("a", "b");
        assertThat(again.leasesRunOut()).isEqualTo(1);

        inbox().release(ALICE, READER_1, List.of(first.messageId())).join();
        assertThat(lease(ALICE, READER_2, 10)).as("a given back; b is still reader 1's").containsExactly("a");
    }

    @Test
    void noReaderGetsAMessageWhileAnotherHoldsAnEarlierOneOfItsBusinessAndCategory() {
        appendFrom("bank", "alert-1", Category.TRANSACTIONAL);
        appendFrom("bank", "alert-2", Category.TRANSACTIONAL);
        appendFrom("shop", "shop-alert", Category.TRANSACTIONAL);
        appendFrom("bank", "offer", Category.MARKETING);
        appendFrom("bank", "code", Category.AUTHENTICATION);

        assertThat(lease(ALICE, READER_1, 2)).containsExactly("code", "alert-1");
        assertThat(lease(ALICE, READER_2, 10)).as("the bank's alerts wait behind alert-1; other groups do not")
                .containsExactly("shop-alert", "offer");
        assertThat(lease(ALICE, READER_1, 10)).as("a holder's own leases hold nothing back")
                .containsExactly("alert-2");

        // Both readers crashed: everything comes back, in order.
        clock.advance(LEASE);
        assertThat(lease(ALICE, READER_3, 10)).containsExactly("code", "alert-1", "alert-2", "shop-alert", "offer");
    }

    @Test
    void aLateReleaseNeverFreesALeaseAnotherReaderTookAfterItsOwnRanOut() {
        QueuedMessage message = append(ALICE, "a", Category.TRANSACTIONAL, 3600);
        assertThat(lease(ALICE, READER_1, 1)).containsExactly("a");
        clock.advance(LEASE);
        assertThat(lease(ALICE, READER_2, 1)).as("reader 1's lease ran out").containsExactly("a");

        // Reader 1 gives back what it thinks it still holds: the message is reader 2's now.
        inbox().release(ALICE, READER_1, List.of(message.messageId())).join();
        assertThat(lease(ALICE, READER_3, 1)).as("still leased to reader 2").isEmpty();

        inbox().release(ALICE, READER_2, List.of(message.messageId())).join();
        assertThat(lease(ALICE, READER_3, 1)).containsExactly("a");
    }

    @Test
    void transitionsLeaveTheQueueAreKeptAsStatusesAndGoToTheOutboxOnceEach() {
        QueuedMessage read = append(ALICE, "read", Category.TRANSACTIONAL, 3600);
        QueuedMessage failed = append(ALICE, "failed", Category.TRANSACTIONAL, 3600);
        Instant at = clock.advance(Duration.ofSeconds(5));

        List<Transition> delivered = inbox().settle(ALICE, List.of(read.messageId(), "unknown"),
                Settlement.DELIVERED, at).join();
        assertThat(delivered).extracting(Transition::state).containsExactly(MessageState.DELIVERED);
        assertThat(inbox().settle(BOB, List.of(failed.messageId()), Settlement.failed("x"), at).join())
                .as("another recipient's message").isEmpty();
        assertThat(inbox().settle(ALICE, List.of(read.messageId()), Settlement.DELIVERED, at).join()).isEmpty();
        assertThat(inbox().settle(ALICE, List.of(read.messageId()), Settlement.READ, at.plusSeconds(1)).join())
                .extracting(Transition::state).containsExactly(MessageState.READ);
        assertThat(inbox().settle(ALICE, List.of(failed.messageId()), Settlement.failed("gone"), at).join())
                .extracting(Transition::reason).containsExactly("gone");
        assertThat(inbox().peek(ALICE, 10).join()).isEmpty();

        if (durable()) {
            reopen();
        }
        MessageRecord record = engine.history().record(read.messageId()).join().orElseThrow();
        assertThat(record.state()).isEqualTo(MessageState.READ);
        assertThat(record.deliveredAt()).isEqualTo(at);
        assertThat(record.readAt()).isEqualTo(at.plusSeconds(1));
        assertThat(engine.history().recordByClientMessageId("bank", "failed").join().orElseThrow().failureReason())
                .isEqualTo("gone");
        List<OutboxEvent> events = engine.webhooks().pending("bank", 10).join();
        assertThat(events).extracting(e -> e.transition().clientMessageId() + " " + e.transition().state())
                .containsExactly("read DELIVERED", "read READ", "failed FAILED");
        assertThat(events).extracting(OutboxEvent::sequence).isSorted();
        assertThat(events).allSatisfy(e -> assertThat(e.transition().recipientMasked()).doesNotContain("7911100001"));
    }

    @Test
    void expiredMessagesAreNeverLeasedAndTheSweepTakesThemOut() {
        append(ALICE, "code", Category.AUTHENTICATION, 600);
        append(BOB, "code-b", Category.AUTHENTICATION, 600);
        append(ALICE, "alert", Category.TRANSACTIONAL, 3600);
        clock.advance(Duration.ofSeconds(600));

        Inbox.Leased leased = inbox().lease(ALICE, READER_1, 10, clock.instant(), LEASE).join();
        assertThat(leased.messages()).extracting(QueuedMessage::clientMessageId).containsExactly("alert");
        assertThat(leased.expired()).extracting(Transition::clientMessageId).containsExactly("code");

        List<Transition> swept = inbox().expire(clock.instant(), 10).join().transitions();
        assertThat(swept).extracting(Transition::clientMessageId).containsExactly("code-b");
        assertThat(swept.get(0).state()).isEqualTo(MessageState.EXPIRED);
        assertThat(inbox().expire(clock.instant(), 10).join().transitions()).isEmpty();
        assertThat(engine.history().recordByClientMessageId("bank", "code-b").join().orElseThrow().expiredAt())
                .isEqualTo(clock.instant());
    }

    @Test
    void aLeasedMessageExpiresOnlyWhenItsLeaseRunsOutUnacknowledged() {
        QueuedMessage code = append(ALICE, "code", Category.AUTHENTICATION, 600);
        append(ALICE, "code-2", Category.AUTHENTICATION, 600);
        clock.advance(Duration.ofSeconds(590));
        assertThat(lease(ALICE, READER_1, 2)).containsExactly("code", "code-2");

        clock.advance(Duration.ofSeconds(10));
        assertThat(inbox().expire(clock.instant(), 10).join().transitions()).as("both are leased: their reader may have delivered them")
                .isEmpty();
        Inbox.Leased other = inbox().lease(ALICE, READER_2, 10, clock.instant(), LEASE).join();
        assertThat(other.messages()).isEmpty();
        assertThat(other.expired()).isEmpty();
        assertThat(inbox().settle(ALICE, List.of(code.messageId()), Settlement.DELIVERED, clock.instant()).join())
                .as("the reader's acknowledgement counts").extracting(Transition::state)
                .containsExactly(MessageState.DELIVERED);

        clock.advance(LEASE);
        assertThat(inbox().expire(clock.instant(), 10).join().transitions()).as("the lease ran out unacknowledged")
                .extracting(Transition::clientMessageId).containsExactly("code-2");
        assertThat(inbox().expire(clock.instant(), 10).join().transitions()).isEmpty();
        assertThat(engine.history().record(code.messageId()).join().orElseThrow().state())
                .isEqualTo(MessageState.DELIVERED);
        assertThat(inbox().peek(ALICE, 10).join()).isEmpty();
    }

    @Test
    void sweepsGoInBatchesAndSayWhenMoreMayBeDue() {
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            codes.add(append(i % 2 == 0 ? ALICE : BOB, "code-" + i, Category.AUTHENTICATION, 600).messageId());
        }
        clock.advance(Duration.ofSeconds(601));

        List<String> expired = new ArrayList<>();
        for (boolean more : List.of(true, true, false)) {
            Inbox.Expired batch = inbox().expire(clock.instant(), 2).join();
            assertThat(batch.more()).isEqualTo(more);
            batch.transitions().forEach(t -> expired.add(t.messageId()));
        }
        assertThat(expired).containsExactlyInAnyOrderElementsOf(codes);

        clock.advance(Duration.ofDays(2));
        List<Integer> purged = new ArrayList<>();
        for (boolean more : List.of(true, true, false)) {
            MessageHistory.Purged batch = engine.history().purge(clock.instant().minus(Duration.ofDays(1)), 2).join();
            assertThat(batch.more()).isEqualTo(more);
            purged.add(batch.purged());
        }
        assertThat(purged).containsExactly(2, 2, 1);
        assertThat(engine.history().record(codes.get(4)).join()).isEmpty();
    }

    @Test
    void statusesAreForgottenAfterTheRetentionAndErasureTakesThemAtOnce() {
        QueuedMessage old = append(ALICE, "old", Category.TRANSACTIONAL, 3600);
        inbox().settle(ALICE, List.of(old.messageId()), Settlement.DELIVERED, clock.instant()).join();
        clock.advance(Duration.ofDays(1));
        QueuedMessage recent = append(ALICE, "recent", Category.TRANSACTIONAL, 3600);
        inbox().settle(ALICE, List.of(recent.messageId()), Settlement.DELIVERED, clock.instant()).join();
        QueuedMessage queued = append(ALICE, "queued", Category.TRANSACTIONAL, 3600);

        assertThat(engine.history().purge(clock.instant().minus(Duration.ofHours(12)), 10).join().purged()).isEqualTo(1);
        assertThat(engine.history().record(old.messageId()).join()).isEmpty();
        assertThat(engine.history().record(recent.messageId()).join()).isPresent();
        assertThat(engine.history().record(queued.messageId()).join().orElseThrow().state())
                .isEqualTo(MessageState.QUEUED);

        assertThat(inbox().erase(ALICE).join()).extracting(QueuedMessage::clientMessageId).containsExactly("queued");
        assertThat(engine.history().record(recent.messageId()).join()).isEmpty();
        assertThat(engine.history().record(queued.messageId()).join()).isEmpty();
    }

    @Test
    void theOutboxIsReadInOrderRemovedDeadLetteredAndReplayed() {
        for (int i = 0; i < 3; i++) {
            QueuedMessage m = append(ALICE, "m" + i, Category.TRANSACTIONAL, 3600);
            inbox().settle(ALICE, List.of(m.messageId()), Settlement.DELIVERED, clock.instant()).join();
        }
        var webhooks = engine.webhooks();
        assertThat(webhooks.businessesWithEvents().join()).containsExactly("bank");
        List<OutboxEvent> pending = webhooks.pending("bank", 10).join();
        webhooks.deadLetter("bank", pending.get(0).sequence()).join();
        webhooks.remove("bank", pending.get(1).sequence()).join();
        assertThat(webhooks.pending("bank", 10).join()).extracting(e -> e.transition().clientMessageId())
                .containsExactly("m2");
        assertThat(webhooks.deadLetters("bank", 10).join()).extracting(e -> e.transition().clientMessageId())
                .containsExactly("m0");

        if (durable()) {
            reopen();
        }
        assertThat(engine.webhooks().replay("bank", 10).join()).isEqualTo(1);
        assertThat(engine.webhooks().pending("bank", 10).join()).extracting(e -> e.transition().clientMessageId())
                .containsExactly("m2", "m0");
        assertThat(engine.webhooks().deadLetters("bank", 10).join()).isEmpty();
    }

    @Test
    void removingAWebhookTakesItsBusinesssEventsOnlyAndDeadLettersGoAfterTheirRetention() {
        QueuedMessage first = message(ALICE, "bank", "m-bank-1", Category.TRANSACTIONAL, 3600);
        QueuedMessage second = message(ALICE, "bank", "m-bank-2", Category.TRANSACTIONAL, 3600);
        QueuedMessage neighbour = message(ALICE, "bank-2", "m-neighbour", Category.TRANSACTIONAL, 3600);
        engine.deliveryLog().append(Appends.accepted(first, second, neighbour)).join();
        inbox().settle(ALICE, List.of(first.messageId(), neighbour.messageId()), Settlement.DELIVERED,
                clock.instant()).join();
        var webhooks = engine.webhooks();
        webhooks.deadLetter("bank", webhooks.pending("bank", 10).join().get(0).sequence()).join();
        webhooks.deadLetter("bank-2", webhooks.pending("bank-2", 10).join().get(0).sequence()).join();
        clock.advance(Duration.ofHours(1));
        inbox().settle(ALICE, List.of(second.messageId()), Settlement.DELIVERED, clock.instant()).join();

        assertThat(webhooks.dropDeadLetters(clock.instant().minus(Duration.ofMinutes(30)), 10).join())
                .isEqualTo(new WebhookStore.Dropped(2, false));
        assertThat(webhooks.deadLetters("bank-2", 10).join()).isEmpty();
        webhooks.deadLetter("bank", webhooks.pending("bank", 10).join().get(0).sequence()).join();
        assertThat(webhooks.dropDeadLetters(clock.instant().minus(Duration.ofMinutes(30)), 10).join().dropped())
                .as("a dead letter of a recent change stays").isZero();

        QueuedMessage third = append(ALICE, "m-bank-3", Category.TRANSACTIONAL, 3600);
        QueuedMessage later = message(ALICE, "bank-2", "m-neighbour-2", Category.TRANSACTIONAL, 3600);
        engine.deliveryLog().append(Appends.accepted(later)).join();
        inbox().settle(ALICE, List.of(third.messageId(), later.messageId()), Settlement.DELIVERED, clock.instant())
                .join();
        webhooks.unregister("bank").join();
        if (durable()) {
            reopen();
        }
        assertThat(engine.webhooks().pending("bank", 10).join()).isEmpty();
        assertThat(engine.webhooks().deadLetters("bank", 10).join()).isEmpty();
        assertThat(engine.webhooks().pending("bank-2", 10).join()).extracting(e -> e.transition().clientMessageId())
                .as("a business whose id starts like the removed one's keeps its events").containsExactly("m-neighbour-2");
    }
}
