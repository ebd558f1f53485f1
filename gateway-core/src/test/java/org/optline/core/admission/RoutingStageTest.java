package org.optline.core.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.optline.core.admission.StageFixture.ALICE;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.optline.core.business.Business;
import org.optline.core.delivery.DeliveryPolicy;
import org.optline.core.idempotency.IdempotencyWindow;
import org.optline.core.message.Category;
import org.optline.core.message.Outcome;
import org.optline.core.message.Reason;
import org.optline.core.storage.StorageFault;
import org.optline.core.storage.StorageUnavailableException;
import org.optline.core.queue.MessageIds;
import org.optline.core.testing.MutableClock;

/** Stage 8 alone: ACCEPTED only once the append is safe; OVERLOADED, nothing kept, when it cannot be. */
class RoutingStageTest {
    private final MutableClock clock = new MutableClock();
    private final ManualDeliveryQueues disk = new ManualDeliveryQueues();
    private final IdempotencyWindow window = new IdempotencyWindow(clock, IdempotencyWindow.DEFAULT_WINDOW);
    private final Business bank = StageFixture.bank();

    private RoutingStage routing(int maxPendingAppends) {
        AdmissionPolicy policy = new AdmissionPolicy(AdmissionPolicy.DEFAULT_MAX_BATCH_SIZE,
                AdmissionPolicy.DEFAULT_MAX_TEXT_LENGTH, AdmissionPolicy.DEFAULT_MAX_CLIENT_MESSAGE_ID_LENGTH,
                AdmissionPolicy.DEFAULT_MAX_TTL, maxPendingAppends, Duration.ofMillis(50));
        return new RoutingStage(disk, new MessageIds(clock), clock, policy, window, DeliveryPolicy.DEFAULTS);
    }

    private static Candidate alert(String id) {
        return StageFixture.validated(id, ALICE, Category.TRANSACTIONAL, "Your balance is 1 EUR");
    }

    @Test
    void acceptedOnlyOnceTheAppendIsSafeWithTheIdOfTheQueuedMessage() {
        RoutingStage stage = routing(100);
        Candidate candidate = alert("m-1");

        stage.route(bank, List.of(candidate));
        assertThat(candidate.outcome).isNotDone();
        assertThat(stage.pending()).isEqualTo(1);

        disk.completeNext();
        assertThat(candidate.outcome.join().reason()).isEqualTo(Reason.ACCEPTED);
        assertThat(disk.stored().find(candidate.outcome.join().messageId()).join()).isPresent();
        assertThat(stage.pending()).isZero();
    }

    @Test
    void pastThePendingBoundTheBatchIsOverloadedAndNothingIsAppended() {
        RoutingStage stage = routing(1);
        stage.route(bank, List.of(alert("m-1")));
        Candidate late = alert("m-2");

        stage.route(bank, List.of(late));

        assertThat(late.outcome.join().reason()).isEqualTo(Reason.OVERLOADED);
        assertThat(late.outcome.join().retryAfterMillis()).isEqualTo(50);
        assertThat(disk.pendingAppends()).isEqualTo(1);
    }

    @Test
    void aFailedAppendIsOverloaded() {
        RoutingStage stage = routing(100);
        Candidate candidate = alert("m-1");
        stage.route(bank, List.of(candidate));

        disk.failNext();

        assertThat(candidate.outcome.join().reason()).isEqualTo(Reason.OVERLOADED);
        assertThat(stage.pending()).isZero();
    }

    @Test
    void anAppendRefusedForAFullDiskIsStorageUnavailableWithTheStoresDelayAndTheKeyFree() {
        RoutingStage stage = routing(100);
        Candidate candidate = alert("m-1");
        assertThat(window.claim(bank.id(), "m-1", candidate.outcome).join()).isNull();
        stage.route(bank, List.of(candidate));

        disk.failNext(new java.util.concurrent.CompletionException(new StorageUnavailableException(
                StorageFault.DISK_FULL, Duration.ofSeconds(5), "the disk is full", null)));

        Outcome outcome = candidate.outcome.join();
        assertThat(outcome.reason()).isEqualTo(Reason.STORAGE_UNAVAILABLE);
        assertThat(outcome.retryAfterMillis()).isEqualTo(5_000);
        assertThat(outcome.detail()).contains("disk is full").contains("nothing was queued");
        assertThat(window.claim(bank.id(), "m-1", new java.util.concurrent.CompletableFuture<>()).join())
                .as("a retry is admitted afresh, not bound to the refusal").isNull();
        assertThat(stage.pending()).isZero();
    }

    @Test
    void whileAppendsTakeLongerThanTheWaitNewOnesAreOverloadedUntilTheStoreCatchesUp() {
        AtomicLong nanos = new AtomicLong();
        // Batches of one: a single pending message is already a largest submission's worth of backlog.
        AdmissionPolicy batchesOfOne = new AdmissionPolicy(1, AdmissionPolicy.DEFAULT_MAX_TEXT_LENGTH,
                AdmissionPolicy.DEFAULT_MAX_CLIENT_MESSAGE_ID_LENGTH, AdmissionPolicy.DEFAULT_MAX_TTL,
                AdmissionPolicy.DEFAULT_MAX_PENDING_APPENDS, AdmissionPolicy.DEFAULT_OVERLOAD_RETRY_AFTER);
        RoutingStage stage = new RoutingStage(disk, new MessageIds(clock), clock, batchesOfOne, window,
                DeliveryPolicy.DEFAULTS, nanos::get);
        Candidate slow = alert("m-1");
        stage.route(bank, List.of(slow));
        nanos.addAndGet(AdmissionPolicy.DEFAULT_MAX_APPEND_WAIT.plusMillis(50).toNanos());
        disk.completeNext();
        assertThat(slow.outcome.join().reason()).isEqualTo(Reason.ACCEPTED);

        Candidate alone = alert("m-2");
        stage.route(bank, List.of(alone));
        Candidate behind = alert("m-3");
        stage.route(bank, List.of(behind));

        assertThat(alone.outcome).as("nothing else pending: the old figure says nothing of the store now").isNotDone();
        assertThat(behind.outcome.join().reason()).isEqualTo(Reason.OVERLOADED);
        assertThat(behind.outcome.join().retryAfterMillis()).isEqualTo(AdmissionPolicy.DEFAULT_OVERLOAD_RETRY_AFTER.toMillis());
        assertThat(disk.pendingAppends()).isEqualTo(1);

        nanos.addAndGet(Duration.ofMillis(2).toNanos());
        disk.completeNext();
        assertThat(alone.outcome.join().reason()).isEqualTo(Reason.ACCEPTED);
        Candidate first = alert("m-4");
        Candidate second = alert("m-5");
        stage.route(bank, List.of(first));
        stage.route(bank, List.of(second));

        assertThat(second.outcome).as("the store caught up: both wait for their append").isNotDone();
        assertThat(disk.pendingAppends()).isEqualTo(2);
    }

    @Test
    void lessThanALargestSubmissionPendingIsNoBacklogHoweverSlowTheLastAppend() {
        AtomicLong nanos = new AtomicLong();
        RoutingStage stage = new RoutingStage(disk, new MessageIds(clock), clock, AdmissionPolicy.DEFAULTS, window,
                DeliveryPolicy.DEFAULTS, nanos::get);
        stage.route(bank, List.of(alert("m-1")));
        nanos.addAndGet(AdmissionPolicy.DEFAULT_MAX_APPEND_WAIT.plusMillis(50).toNanos());
        disk.completeNext();

        for (int i = 2; i <= 100; i++) {
            stage.route(bank, List.of(alert("m-" + i)));
        }

        assertThat(disk.pendingAppends()).as("a hundred connections' requests are not a backlog").isEqualTo(99);
    }
}
