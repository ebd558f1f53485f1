package org.optline.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.optline.core.message.Category;
import org.optline.core.recipient.PhoneNumber;

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

    @Test
    void appendCompletesAtOnce() {
        assertThat(queues.append(List.of(message("m1", ALICE)))).isCompleted();
    }

    @Test
    void eachRecipientsQueueKeepsTheOrderOfTheAppends() {
        queues.append(List.of(message("a1", ALICE), message("b1", BOB), message("a2", ALICE)));
        queues.append(List.of(message("a3", ALICE), message("b2", BOB)));

        assertThat(ids(queues.peek(ALICE, 10))).containsExactly("a1", "a2", "a3");
        assertThat(ids(queues.peek(BOB, 10))).containsExactly("b1", "b2");
    }

    @Test
    void peekReturnsAtMostTheOldestMax() {
        queues.append(List.of(message("a1", ALICE), message("a2", ALICE), message("a3", ALICE)));

        assertThat(ids(queues.peek(ALICE, 2))).containsExactly("a1", "a2");
        assertThat(queues.peek(ALICE, 0)).isEmpty();
        assertThat(ids(queues.peek(ALICE, 2))).as("peek removes nothing").containsExactly("a1", "a2");
    }

    @Test
    void peekOfAnEmptyQueueIsEmpty() {
        assertThat(queues.peek(ALICE, 10)).isEmpty();
    }

    @Test
    void findReturnsAQueuedMessageById() {
        QueuedMessage m = message("a1", ALICE);
        queues.append(List.of(m));

        assertThat(queues.find("a1")).contains(m);
        assertThat(queues.find("nope")).isEmpty();
    }

    @Test
    void acknowledgeRemovesDeliveredMessagesAndKeepsTheRestInOrder() {
        queues.append(List.of(message("a1", ALICE), message("a2", ALICE), message("a3", ALICE), message("b1", BOB)));

        assertThat(queues.acknowledge(ALICE, List.of("a1", "a3", "unknown", "b1"))).isEqualTo(2);

        assertThat(ids(queues.peek(ALICE, 10))).containsExactly("a2");
        assertThat(queues.find("a1")).isEmpty();
        assertThat(queues.find("a2")).isPresent();
        assertThat(queues.find("b1")).as("another recipient's message is not acknowledged by Alice").isPresent();
        assertThat(ids(queues.peek(BOB, 10))).containsExactly("b1");
    }

    @Test
    void acknowledgingTwiceRemovesNothingMore() {
        queues.append(List.of(message("a1", ALICE)));

        assertThat(queues.acknowledge(ALICE, List.of("a1"))).isEqualTo(1);
        assertThat(queues.acknowledge(ALICE, List.of("a1"))).isZero();
        assertThat(queues.acknowledge(BOB, List.of("a1"))).isZero();
    }

    @Test
    void toStringShowsNeitherTheNumberNorTheText() {
        QueuedMessage m = message("a1", ALICE);

        assertThat(m.toString()).doesNotContain("+14155550123").doesNotContain("text a1").contains("+1415•••0123");
    }
}
