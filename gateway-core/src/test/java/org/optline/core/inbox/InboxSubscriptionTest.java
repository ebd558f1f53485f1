package org.optline.core.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.optline.core.delivery.DeliveryListener;
import org.optline.core.delivery.DeliveryPolicy;
import org.optline.core.message.Category;
import org.optline.core.queue.MessageIds;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.storage.StoreExecutor;
import org.optline.core.storage.memory.InMemoryDeliveryQueues;
import org.optline.core.testing.Appends;
import org.optline.core.testing.MutableClock;

/**
 * Push subscriptions and long-polls on the in-memory inbox, their store work run on the calling
 * thread and their time on a fake clock rung by {@link InboxService#tick()}: what they hand out,
 * hold, give back, and when they look again.
 */
class InboxSubscriptionTest {
    private static final PhoneNumber ALICE = PhoneNumber.parse("+447911100001").orElseThrow();
    private static final Duration LEASE = DeliveryPolicy.DEFAULT_LEASE;

    private final MutableClock clock = new MutableClock();
    private final MessageIds ids = new MessageIds(clock);
    private final InMemoryDeliveryQueues queues = new InMemoryDeliveryQueues();
    /** Store calls made, and whether the store threads are all busy (a call is then refused). */
    private final AtomicInteger storeCalls = new AtomicInteger();
    private final AtomicBoolean storeBusy = new AtomicBoolean();
    private final InboxService inbox = new InboxService(queues, queues.arrivals(), new StoreExecutor(command -> {
        storeCalls.incrementAndGet();
        if (storeBusy.get()) {
            throw new RejectedExecutionException("busy");
        }
        command.run();
    }), clock, DeliveryPolicy.DEFAULTS, DeliveryListener.NONE);
    private final List<String> pushed = new CopyOnWriteArrayList<>();

    private String append(String clientId) {
        QueuedMessage message = new QueuedMessage(ids.next(), "bank", clientId, ALICE, Category.TRANSACTIONAL, false,
                "text of " + clientId, clock.instant(), 3_600, "");
        queues.append(Appends.accepted(message)).join();
        return message.messageId();
    }

    private InboxSubscription subscribe(int window) {
        return inbox.subscribe(ALICE, window, messages -> messages.forEach(m -> pushed.add(m.messageId())));
    }

    /** What another reader's pull gets now. */
    private List<String> pull() {
        return inbox.pull(ALICE, 10, null, Duration.ZERO).join().messages().stream()
                .map(QueuedMessage::messageId).toList();
    }

    @Test
    void closingAfterItsLeaseRanOutNeverFreesTheMessageAnotherReaderNowHolds() {
        InboxSubscription subscription = subscribe(10);
        String id = append("a");
        assertThat(pushed).containsExactly(id);

        // The lease ran out; another reader pulls before the subscription's tick noticed.
        clock.advance(LEASE);
        assertThat(pull()).containsExactly(id);
        subscription.close();

        assertThat(pull()).as("still the other reader's").isEmpty();
    }

    @Test
    void theWindowBoundsWhatIsUnacknowledgedAndAnAcknowledgementMakesRoom() {
        InboxSubscription subscription = subscribe(2);
        String first = append("a");
        String second = append("b");
        String third = append("c");
        assertThat(pushed).as("the window of 2 is full").containsExactly(first, second);

        subscription.acknowledge(List.of(first)).join();

        assertThat(pushed).containsExactly(first, second, third);
        assertThat(subscription.unacknowledged()).isEqualTo(2);
    }

    @Test
    void anAcknowledgementTheStoreDidNotTakeMakesNoRoom() {
        InboxSubscription subscription = subscribe(1);
        String first = append("a");
        append("b");
        assertThat(pushed).containsExactly(first);

        storeBusy.set(true);
        assertThatThrownBy(() -> subscription.acknowledge(List.of(first)).join()).hasRootCauseInstanceOf(
                StoreExecutor.StoreBusyException.class);
        storeBusy.set(false);

        assertThat(subscription.unacknowledged()).as("still held: the app sends its ack again").isEqualTo(1);
        assertThat(pushed).containsExactly(first);
    }

    @Test
    void pushesNeverOverlapEvenWhenAMessageArrivesDuringOne() {
        List<String> order = new CopyOnWriteArrayList<>();
        AtomicBoolean pushing = new AtomicBoolean();
        AtomicBoolean arrivedDuringPush = new AtomicBoolean();
        inbox.subscribe(ALICE, 10, messages -> {
            if (!pushing.compareAndSet(false, true)) {
                order.add("overlap");
            }
            messages.forEach(m -> order.add(m.clientMessageId()));
            if (arrivedDuringPush.compareAndSet(false, true)) {
                append("b");
            }
            order.add("end");
            pushing.set(false);
        });

        append("a");

        assertThat(order).containsExactly("a", "end", "b", "end");
    }

    @Test
    void afterTheStoreWasBusyASubscriptionTriesAgainLaterAndLaterNotEveryTick() {
        storeBusy.set(true);
        subscribe(10);
        int afterFirst = storeCalls.get();

        clock.advance(Duration.ofMillis(500));
        inbox.tick();
        assertThat(storeCalls.get()).as("not before the first retry's wait").isEqualTo(afterFirst);
        clock.advance(Duration.ofMillis(500));
        inbox.tick();
        assertThat(storeCalls.get()).as("one retry after a second").isEqualTo(afterFirst + 1);
        clock.advance(Duration.ofSeconds(1));
        inbox.tick();
        assertThat(storeCalls.get()).as("the next waits two seconds").isEqualTo(afterFirst + 1);

        storeBusy.set(false);
        String id = append("a");
        assertThat(pushed).as("an arrival still wakes it at once").containsExactly(id);
    }

    @Test
    void idleSubscriptionsCostTheTickNothing() {
        for (int i = 0; i < 100; i++) {
            subscribe(10);
        }
        assertThat(inbox.waitingCount()).isEqualTo(100);
        assertThat(inbox.alarms()).as("nothing for the tick to look at").isZero();
    }

    @Test
    void aBusySubscriptionKeepsOneAlarmAndPushesAgainWhatRanOutInOrder() {
        subscribe(10);
        List<String> first = List.of(append("a"), append("b"), append("c"));
        clock.advance(Duration.ofSeconds(1));
        String later = append("d");
        assertThat(pushed).containsExactly(first.get(0), first.get(1), first.get(2), later);
        assertThat(inbox.alarms()).as("the earliest run-out only").isEqualTo(1);

        clock.advance(LEASE.minusSeconds(1));
        inbox.tick();

        assertThat(pushed).as("the three whose lease ran out, again").hasSize(7).endsWith(first.toArray(String[]::new));
        assertThat(inbox.alarms()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        inbox.tick();
        assertThat(pushed).hasSize(8).endsWith(later);
    }

    @Test
    void aLongPollAnswersEmptyAtItsDeadlineOnTheGatewaysClock() {
        CompletableFuture<InboxService.Pulled> poll = inbox.pull(ALICE, 10, null, Duration.ofSeconds(20));

        clock.advance(Duration.ofSeconds(19));
        inbox.tick();
        assertThat(poll).isNotDone();
        clock.advance(Duration.ofSeconds(1));
        inbox.tick();

        assertThat(poll).isCompleted();
        assertThat(poll.join().messages()).isEmpty();
        assertThat(inbox.waitingCount()).isZero();
    }

    @Test
    void aLongPollWaitingBehindAnotherReadersLeaseGetsTheMessageWhenThatLeaseRunsOut() {
        String id = append("a");
        assertThat(inbox.pull(ALICE, 10, Duration.ofSeconds(10), Duration.ZERO).join().messages()).hasSize(1);
        CompletableFuture<InboxService.Pulled> poll = inbox.pull(ALICE, 10, null, Duration.ofSeconds(30));
        assertThat(poll).isNotDone();

        clock.advance(Duration.ofSeconds(10));
        inbox.tick();

        assertThat(poll.join().messages()).extracting(QueuedMessage::messageId).containsExactly(id);
    }

    @Test
    void aLongPollCancelledByItsReaderStopsWaitingAndTakesNothing() {
        CompletableFuture<InboxService.Pulled> poll = inbox.pull(ALICE, 10, null, Duration.ofSeconds(30));
        poll.cancel(false);
        assertThat(inbox.waitingCount()).isZero();

        String id = append("a");

        assertThat(pull()).containsExactly(id);
    }
}
