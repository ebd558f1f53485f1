package org.optline.core.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.optline.core.admission.StageFixture.ALICE;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;
import org.optline.core.business.Business;
import org.optline.core.classify.Classifier;
import org.optline.core.consent.ConsentAction;
import org.optline.core.consent.ConsentChange;
import org.optline.core.consent.ConsentClass;
import org.optline.core.consent.ConsentSource;
import org.optline.core.consent.ConsentStore;
import org.optline.core.delivery.DeliveryPolicy;
import org.optline.core.idempotency.IdempotencyWindow;
import org.optline.core.limit.AntiSpamLimits;
import org.optline.core.limit.AntiSpamPolicy;
import org.optline.core.message.Category;
import org.optline.core.message.Outcome;
import org.optline.core.message.Reason;
import org.optline.core.message.Submission;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.storage.StorageFault;
import org.optline.core.storage.StorageUnavailableException;
import org.optline.core.storage.memory.InMemoryConsentStore;
import org.optline.core.storage.memory.InMemoryDeliveryQueues;
import org.optline.core.testing.GatedConsentStore;
import org.optline.core.testing.MutableClock;

/**
 * Admission when a store read is not complete on return (a remote engine, a cold cache): the
 * admission thread is let go, the stages after the read resume on the admission executor, and a
 * read that fails answers OVERLOADED instead of leaving the submission hanging.
 */
class AdmissionPipelineResumeTest {
    private final MutableClock clock = new MutableClock();
    private final InMemoryConsentStore consents = new InMemoryConsentStore();
    private final ArrayDeque<Runnable> admissionThread = new ArrayDeque<>();
    private final List<Throwable> failures = new ArrayList<>();
    private final Business bank = StageFixture.bank();
    private CompletableFuture<Void> readGate = new CompletableFuture<>();
    private boolean rejectNext;

    private AdmissionPipeline pipeline() {
        ConsentStore slow = new GatedConsentStore(consents, readGate);
        return new AdmissionPipeline(AdmissionPolicy.DEFAULTS, DeliveryPolicy.DEFAULTS, clock, slow, new InMemoryDeliveryQueues(),
                new IdempotencyWindow(clock, IdempotencyWindow.DEFAULT_WINDOW),
                new AntiSpamLimits(AntiSpamPolicy.DEFAULTS, clock), new Classifier(), task -> {
                    if (rejectNext) {
                        throw new RejectedExecutionException("full");
                    }
                    admissionThread.add(task);
                },
                new AdmissionListener() {
                    @Override
                    public void onFailure(Throwable failure) {
                        failures.add(failure);
                    }
                });
    }

    private void optIn() {
        consents.apply(new ConsentChange(PhoneNumber.parse(ALICE).orElseThrow(), bank.id(), ConsentAction.OPT_IN,
                ConsentClass.TRANSACTIONAL, ConsentSource.APP, "", clock.instant())).join();
    }

    private static List<Submission> alert(String id) {
        return List.of(Submission.text(id, ALICE, Category.TRANSACTIONAL, "Your balance is 1 EUR"));
    }

    @Test
    void theStagesAfterASlowReadResumeOnTheAdmissionExecutor() {
        optIn();
        CompletableFuture<List<Outcome>> answer = pipeline().admit(bank, alert("m-1"));
        admissionThread.poll().run();
        assertThat(answer).as("waiting for the consent read").isNotDone();
        assertThat(admissionThread).as("the admission thread was let go").isEmpty();

        readGate.complete(null);
        assertThat(answer).as("the rest runs on the admission executor, not the reader's thread").isNotDone();
        assertThat(admissionThread).hasSize(1);

        admissionThread.poll().run();
        assertThat(answer.join()).extracting(Outcome::reason).containsExactly(Reason.ACCEPTED);
    }

    @Test
    void aReadThatFailsAnswersOverloadedAndIsReported() {
        CompletableFuture<List<Outcome>> answer = pipeline().admit(bank, alert("m-1"));
        admissionThread.poll().run();

        readGate.completeExceptionally(new IllegalStateException("cannot read the store"));

        assertThat(answer.join()).extracting(Outcome::reason).containsExactly(Reason.OVERLOADED);
        assertThat(failures).hasSize(1);
    }

    @Test
    void aReadThatMeetsADamagedStoreAnswersStorageUnavailableWithTheStoresDelay() {
        CompletableFuture<List<Outcome>> answer = pipeline().admit(bank, alert("m-1"));
        admissionThread.poll().run();

        readGate.completeExceptionally(new StorageUnavailableException(StorageFault.CORRUPT, Duration.ofSeconds(60),
                "block checksum mismatch in 000012.sst", null));

        assertThat(answer.join()).singleElement().satisfies(o -> {
            assertThat(o.reason()).isEqualTo(Reason.STORAGE_UNAVAILABLE);
            assertThat(o.retryAfterMillis()).isEqualTo(60_000);
            assertThat(o.detail()).contains("damaged").doesNotContain("000012");
        });
        assertThat(failures).as("told once by the store's health, not once per submission").isEmpty();
    }

    @Test
    void aReadThatFailsAtOnceIsAnsweredAndReportedLikeOneThatFailsLater() {
        readGate = CompletableFuture.failedFuture(new IllegalStateException("cannot read the store"));
        CompletableFuture<List<Outcome>> answer = pipeline().admit(bank, alert("m-1"));

        admissionThread.poll().run();

        assertThat(answer.join()).extracting(Outcome::reason).containsExactly(Reason.OVERLOADED);
        assertThat(failures).hasSize(1);
        assertThat(admissionThread).isEmpty();
    }

    @Test
    void whenTheExecutorIsFullAtResumeTheSubmissionIsOverloadedAndItsKeyFree() {
        optIn();
        AdmissionPipeline pipeline = pipeline();
        CompletableFuture<List<Outcome>> answer = pipeline.admit(bank, alert("m-1"));
        admissionThread.poll().run();

        rejectNext = true;
        readGate.complete(null);
        assertThat(answer.join()).extracting(Outcome::reason).containsExactly(Reason.OVERLOADED);

        rejectNext = false;
        CompletableFuture<List<Outcome>> retry = pipeline.admit(bank, alert("m-1"));
        while (!admissionThread.isEmpty()) {
            admissionThread.poll().run();
        }
        assertThat(retry.join()).as("the retry is admitted afresh, not bound to the refusal")
                .extracting(Outcome::reason).containsExactly(Reason.ACCEPTED);
    }
}
