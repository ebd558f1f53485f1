package org.optline.core.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
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
 * A push subscription on the in-memory inbox, its store work run on the calling thread and its
 * time on a fake clock: what it hands out, holds, and gives back.
 */
class InboxSubscriptionTest {
    private static final PhoneNumber ALICE = PhoneNumber.parse("+447911100001").orElseThrow();
    private static final Duration LEASE = DeliveryPolicy.DEFAULT_LEASE;

    private final MutableClock clock = new MutableClock();
    private final MessageIds ids = new MessageIds(clock);
    private final InMemoryDeliveryQueues queues = new InMemoryDeliveryQueues();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final InboxService inbox = new InboxService(queues, queues.arrivals(), new StoreExecutor(Runnable::run),
            clock, DeliveryPolicy.DEFAULTS, timer, DeliveryListener.NONE);
    private final List<String> pushed = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

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
}
