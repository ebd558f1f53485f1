package org.optline.core.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.optline.core.admission.StageFixture.ALICE;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.optline.core.business.Business;
import org.optline.core.idempotency.IdempotencyRecord;
import org.optline.core.idempotency.IdempotencyRecords;
import org.optline.core.idempotency.IdempotencyWindow;
import org.optline.core.message.Category;
import org.optline.core.message.Outcome;
import org.optline.core.message.Reason;
import org.optline.core.testing.MutableClock;

/** Stage 4 alone: a repeated client_message_id binds to the first outcome, even while the records are read. */
class IdempotencyStageTest {
    private final MutableClock clock = new MutableClock();
    private final Business bank = StageFixture.bank();

    private static Candidate alert(String id) {
        return StageFixture.validated(id, ALICE, Category.TRANSACTIONAL, "Your balance is 1 EUR");
    }

    @Test
    void aSecondCopyInTheSameBatchGetsTheFirstOutcomeAsADuplicate() {
        IdempotencyStage stage = new IdempotencyStage(new IdempotencyWindow(clock, IdempotencyWindow.DEFAULT_WINDOW));
        Candidate first = alert("m-1");
        Candidate copy = alert("m-1");

        assertThat(stage.apply(bank, StageFixture.list(first, copy))).isCompleted();
        assertThat(first.isDecided()).isFalse();
        assertThat(copy.isDecided()).isTrue();

        first.decide(Outcome.accepted("m-1", "id-1", Category.TRANSACTIONAL, false));
        assertThat(copy.outcome.join().duplicate()).isTrue();
        assertThat(copy.outcome.join().messageId()).isEqualTo("id-1");
    }

    @Test
    void whileTheDurableRecordsAreReadTheStageWaitsAndThenBindsTheRepeat() {
        CompletableFuture<Optional<Outcome>> slowRead = new CompletableFuture<>();
        IdempotencyRecords records = new IdempotencyRecords() {
            @Override
            public CompletableFuture<Optional<Outcome>> find(String businessId, String clientMessageId) {
                return slowRead;
            }

            @Override
            public void recordRefusal(IdempotencyRecord refusal) {}
        };
        IdempotencyStage stage = new IdempotencyStage(
                new IdempotencyWindow(clock, IdempotencyWindow.DEFAULT_WINDOW, 100, records));
        Candidate retry = alert("m-1");

        CompletableFuture<Void> done = stage.apply(bank, List.of(retry));
        assertThat(done).isNotDone();
        assertThat(retry.isDecided()).isFalse();

        slowRead.complete(Optional.of(Outcome.refused("m-1", Reason.OPTED_OUT, Category.TRANSACTIONAL, false, "no")));
        assertThat(done).isCompleted();
        assertThat(retry.outcome.join().reason()).isEqualTo(Reason.OPTED_OUT);
        assertThat(retry.outcome.join().duplicate()).isTrue();
    }
}
