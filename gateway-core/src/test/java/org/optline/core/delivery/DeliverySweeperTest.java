package org.optline.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.optline.core.inbox.InboxService;
import org.optline.core.message.Category;
import org.optline.core.queue.MessageIds;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.storage.StoreExecutor;
import org.optline.core.storage.memory.InMemoryDeliveryQueues;
import org.optline.core.testing.Appends;
import org.optline.core.testing.MutableClock;
import org.optline.core.webhook.WebhookDispatcher;
import org.optline.core.webhook.WebhookPolicy;

/**
 * The periodic sweep on the in-memory engine and the fake clock, its store work on the calling
 * thread and its time budget on a fake ticker: it keeps up with more than a batch per tick, and
 * says when it could not.
 */
class DeliverySweeperTest {
    private static final Duration BUDGET = Duration.ofSeconds(1);
    private static final int MESSAGES = 2 * DeliverySweeper.BATCH + 500;

    private final MutableClock clock = new MutableClock();
    private final MessageIds ids = new MessageIds(clock);
    private final InMemoryDeliveryQueues queues = new InMemoryDeliveryQueues();
    private final StoreExecutor store = new StoreExecutor(Runnable::run);
    private final InboxService inbox = new InboxService(queues, queues.arrivals(), store, clock,
            DeliveryPolicy.DEFAULTS, DeliveryListener.NONE);
    private final WebhookDispatcher webhooks = new WebhookDispatcher(queues.webhooks(),
            (registration, events) -> new CompletableFuture<>(), store, clock, WebhookPolicy.DEFAULTS,
            DeliveryListener.NONE, () -> 0.5);
    private final List<Transition> transitions = new ArrayList<>();
    private final List<Boolean> behind = new ArrayList<>();
    private final DeliveryListener listener = new DeliveryListener() {
        @Override
        public void onTransitions(List<Transition> made) {
            transitions.addAll(made);
        }

        @Override
        public void onSwept(boolean late) {
            behind.add(late);
        }
    };

    private DeliverySweeper sweeper(LongSupplier nanoTime) {
        return new DeliverySweeper(queues, queues, inbox, webhooks, store, clock, DeliveryPolicy.DEFAULTS, listener,
                BUDGET, nanoTime);
    }

    private List<QueuedMessage> appendCodes(int count) {
        List<QueuedMessage> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            PhoneNumber to = PhoneNumber.parse("+4479111" + String.format("%05d", i % 50)).orElseThrow();
            messages.add(new QueuedMessage(ids.next(), "bank", "code-" + i, to, Category.AUTHENTICATION, false,
                    "Your code is 4829", clock.instant(), 600, ""));
        }
        queues.append(Appends.accepted(messages)).join();
        return messages;
    }

    @Test
    void oneTickExpiresEveryDueMessageNotJustOneBatch() {
        appendCodes(MESSAGES);
        clock.advance(Duration.ofSeconds(601));

        sweeper(() -> 0).tick().join();

        assertThat(transitions).hasSize(MESSAGES).allSatisfy(t -> assertThat(t.state()).isEqualTo(MessageState.EXPIRED));
        assertThat(behind).containsExactly(false);
    }

    @Test
    void aTickWhoseTimeRunsOutSaysItIsBehindAndTheNextGoesOn() {
        appendCodes(MESSAGES);
        clock.advance(Duration.ofSeconds(601));
        // Every look at the ticker finds the budget spent: one batch per tick.
        AtomicLong ticker = new AtomicLong();
        DeliverySweeper sweeper = sweeper(() -> ticker.getAndAdd(BUDGET.toNanos()));

        sweeper.tick().join();
        assertThat(transitions).hasSize(DeliverySweeper.BATCH);
        sweeper.tick().join();
        sweeper.tick().join();

        assertThat(transitions).hasSize(MESSAGES);
        assertThat(behind).containsExactly(true, true, false);
    }

    @Test
    void oneTickForgetsEveryStatusPastItsRetention() {
        List<QueuedMessage> messages = appendCodes(MESSAGES);
        for (QueuedMessage message : messages) {
            queues.settle(message.recipient(), List.of(message.messageId()), Settlement.DELIVERED, clock.instant()).join();
        }
        clock.advance(DeliveryPolicy.DEFAULT_STATUS_RETENTION.plusSeconds(1));

        sweeper(() -> 0).tick().join();

        assertThat(queues.record(messages.get(MESSAGES - 1).messageId()).join()).isEmpty();
        assertThat(queues.purge(clock.instant(), 10).join().purged()).isZero();
    }
}
