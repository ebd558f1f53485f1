package org.optline.core.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;
import org.optline.core.delivery.DeliveryListener;
import org.optline.core.delivery.Settlement;
import org.optline.core.delivery.Transition;
import org.optline.core.message.Category;
import org.optline.core.queue.MessageIds;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.storage.StoreExecutor;
import org.optline.core.storage.memory.InMemoryDeliveryQueues;
import org.optline.core.testing.Appends;
import org.optline.core.testing.MutableClock;

/** The dispatcher alone, with a transport the test answers and the fake clock: order, batches, back-off, dead letters. */
class WebhookDispatcherTest {
    private static final PhoneNumber ALICE = PhoneNumber.parse("+447911100001").orElseThrow();

    private final MutableClock clock = new MutableClock();
    private final InMemoryDeliveryQueues queues = new InMemoryDeliveryQueues();
    private final List<List<OutboxEvent>> sent = new ArrayList<>();
    private final List<CompletableFuture<Integer>> answers = new ArrayList<>();
    private final WebhookPolicy policy = new WebhookPolicy(2, Duration.ofSeconds(1), 3, Duration.ofSeconds(1),
            Duration.ofSeconds(8), Duration.ofHours(1), Duration.ofDays(7));
    private final WebhookDispatcher dispatcher = new WebhookDispatcher(queues.webhooks(), (registration, events) -> {
        CompletableFuture<Integer> answer = new CompletableFuture<>();
        sent.add(events);
        answers.add(answer);
        return answer;
    }, new StoreExecutor(Runnable::run), clock, policy, DeliveryListener.NONE, () -> 0.5);
    private final MessageIds ids = new MessageIds(clock);

    private List<Transition> deliver(int count) {
        List<Transition> made = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            QueuedMessage m = new QueuedMessage(ids.next(), "bank", "c" + i, ALICE, Category.TRANSACTIONAL, false, "t",
                    clock.instant(), 60, "");
            queues.append(Appends.accepted(m)).join();
            made.addAll(queues.settle(ALICE, List.of(m.messageId()), Settlement.DELIVERED, clock.instant()).join());
        }
        return made;
    }

    private void register() {
        queues.webhooks().register(new WebhookRegistration("bank", URI.create("http://127.0.0.1:1/hook"),
                List.of(new WebhookSecret("s", "whsec_x", clock.instant(), null)), clock.instant())).join();
    }

    @Test
    void oneRequestAtATimeOldestFirstInBatchesAndTheNextOnlyAfterA2xx() {
        register();
        dispatcher.onTransitions(deliver(5));

        assertThat(sent).hasSize(1);
        assertThat(sent.get(0)).extracting(e -> e.transition().clientMessageId()).containsExactly("c0", "c1");
        dispatcher.onTransitions(deliver(1));
        assertThat(sent).as("a request is out").hasSize(1);

        answers.get(0).complete(204);
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1)).extracting(e -> e.transition().clientMessageId()).containsExactly("c2", "c3");
        answers.get(1).complete(200);
        answers.get(2).complete(200);
        assertThat(sent).hasSize(3);
        assertThat(queues.webhooks().pending("bank", 10).join()).isEmpty();
    }

    @Test
    void aFailureIsRetriedAfterItsBackOffOnTheClockThenDeadLettered() {
        register();
        dispatcher.onTransitions(deliver(1));
        answers.get(0).complete(500);

        dispatcher.tick().join();
        assertThat(sent).as("backing off").hasSize(1);
        clock.advance(policy.backoff(1, 0.5));
        dispatcher.tick().join();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1)).isEqualTo(sent.get(0));

        answers.get(1).completeExceptionally(new IOException("refused"));
        clock.advance(policy.backoff(2, 0.5).minusMillis(1));
        dispatcher.tick().join();
        assertThat(sent).hasSize(2);
        clock.advance(Duration.ofMillis(1));
        dispatcher.tick().join();
        answers.get(2).complete(503);

        assertThat(queues.webhooks().deadLetters("bank", 10).join()).hasSize(1);
        assertThat(queues.webhooks().pending("bank", 10).join()).isEmpty();
    }

    @Test
    void eventsOfABusinessWithoutAWebhookAreDropped() {
        dispatcher.onTransitions(deliver(3));
        assertThat(sent).isEmpty();
        assertThat(queues.webhooks().pending("bank", 10).join()).isEmpty();
    }

    @Test
    void aBusyStoreIsNoFailureWorthReporting() {
        register();
        List<Throwable> failures = new ArrayList<>();
        StoreExecutor busy = new StoreExecutor(command -> {
            throw new RejectedExecutionException("all store threads busy");
        });
        WebhookDispatcher dispatcher = new WebhookDispatcher(queues.webhooks(), (registration, events) ->
                new CompletableFuture<>(), busy, clock, policy, new DeliveryListener() {
                    @Override
                    public void onFailure(Throwable failure) {
                        failures.add(failure);
                    }
                }, () -> 0.5);

        dispatcher.onTransitions(deliver(1));
        dispatcher.wake("bank");

        assertThat(failures).isEmpty();
    }
}
