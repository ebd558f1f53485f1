package org.optline.core.submission;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.optline.core.admission.AdmissionPipeline;
import org.optline.core.business.Business;
import org.optline.core.message.Submission;

/**
 * Submissions from an authenticated business, whatever carried them (TCP, HTTP, a campaign):
 * refused whole while the node drains or when the count is outside the bounds, otherwise handed
 * to admission, which answers each message. Never blocks the caller.
 */
public final class SubmissionService {
    private final AdmissionPipeline admission;
    private final BooleanSupplier ready;

    /** @param ready whether the node takes new work; false from the start of a shutdown */
    public SubmissionService(AdmissionPipeline admission, BooleanSupplier ready) {
        this.admission = admission;
        this.ready = ready;
    }

    /** The most messages one submission may carry. */
    public int maxBatchSize() {
        return admission.policy().maxBatchSize();
    }

    public CompletableFuture<Submitted> submit(Business business, List<Submission> messages) {
        if (!ready.getAsBoolean()) {
            return CompletableFuture.completedFuture(new Submitted.NotReady());
        }
        if (messages.isEmpty() || messages.size() > maxBatchSize()) {
            return CompletableFuture.completedFuture(new Submitted.WrongSize(messages.size(), maxBatchSize()));
        }
        return admission.admit(business, messages).thenApply(Submitted.Answered::new);
    }
}
