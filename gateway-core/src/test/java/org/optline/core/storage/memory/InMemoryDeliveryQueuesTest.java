package org.optline.core.storage.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.optline.core.delivery.Settlement;
import org.optline.core.message.Category;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.testing.Appends;

class InMemoryDeliveryQueuesTest {
    private static final PhoneNumber ALICE = PhoneNumber.parse("+14155550123").orElseThrow();
    private static final PhoneNumber BOB = PhoneNumber.parse("+447911123456").orElseThrow();

    private final InMemoryDeliveryQueues queues = new InMemoryDeliveryQueues();

    private static QueuedMessage message(String id, PhoneNumber recipient) {
        return new QueuedMessage(id, "acme-bank", "c-" + id, recipient, Category.TRANSACTIONAL, false, "text " + id,
                Instant.EPOCH, 0, "");
    }

    private static List<String> ids(List<QueuedMessage> messages) {
        return messages.stream().map(QueuedMessage::messageId).toList();
    }

    /** Acknowledges messages as the delivery side does; how many were queued and are now delivered. */
    private CompletableFuture<Integer> delivered(PhoneNumber recipient, List<String> messageIds) {
        return queues.settle(recipient, messageIds, Settlement.DELIVERED, Instant.parse("2025-03-01T09:00:00Z"))
                .thenApply(List::size);
    }

    @Test
    void appendCompletesAtOnce() {
        assertThat(queues.append(Appends.accepted(message("m1", ALICE)))).isCompleted();
    }

    @Test
    void eachRecipientsQueueKeepsTheOrderOfTheAppends() {
        queues.append(Appends.accepted(message("a1", ALICE), message("b1", BOB), message("a2", ALICE)));
        queues.append(Appends.accepted(message("a3", ALICE), message("b2", BOB)));

        assertThat(ids(queues.peek(ALICE, 10).join())).containsExactly("a1", "a2", "a3");
        assertThat(ids(queues.peek(BOB, 10).join())).containsExactly("b1", "b2");
    }

    @Test
    void peekReturnsAtMostTheOldestMax() {
        queues.append(Appends.accepted(message("a1", ALICE), message("a2", ALICE), message("a3", ALICE)));

        assertThat(ids(queues.peek(ALICE, 2).join())).containsExactly("a1", "a2");
        assertThat(queues.peek(ALICE, 0).join()).isEmpty();
        assertThat(ids(queues.peek(ALICE, 2).join())).as("peek removes nothing").containsExactly("a1", "a2");
    }

    @Test
    void peekOfAnEmptyQueueIsEmpty() {
        assertThat(queues.peek(ALICE, 10).join()).isEmpty();
    }

    @Test
    void findReturnsAQueuedMessageById() {
        QueuedMessage m = message("a1", ALICE);
        queues.append(Appends.accepted(m));

        assertThat(queues.find("a1").join()).contains(m);
        assertThat(queues.find("nope").join()).isEmpty();
    }

    @Test
    void acknowledgeRemovesDeliveredMessagesAndKeepsTheRestInOrder() {
        queues.append(Appends.accepted(message("a1", ALICE), message("a2", ALICE), message("a3", ALICE), message("b1", BOB)));

        assertThat(delivered(ALICE, List.of("a1", "a3", "unknown", "b1")).join()).isEqualTo(2);

        assertThat(ids(queues.peek(ALICE, 10).join())).containsExactly("a2");
        assertThat(queues.find("a1").join()).isEmpty();
        assertThat(queues.find("a2").join()).isPresent();
        assertThat(queues.find("b1").join()).as("another recipient's message is not acknowledged by Alice").isPresent();
        assertThat(ids(queues.peek(BOB, 10).join())).containsExactly("b1");
    }

    @Test
    void acknowledgingTwiceRemovesNothingMore() {
        queues.append(Appends.accepted(message("a1", ALICE)));

        assertThat(delivered(ALICE, List.of("a1")).join()).isEqualTo(1);
        assertThat(delivered(ALICE, List.of("a1")).join()).isZero();
        assertThat(delivered(BOB, List.of("a1")).join()).isZero();
    }

    @Test
    void toStringShowsNeitherTheNumberNorTheText() {
        QueuedMessage m = message("a1", ALICE);

        assertThat(m.toString()).doesNotContain("+14155550123").doesNotContain("text a1").contains("+1415•••0123");
    }
}
