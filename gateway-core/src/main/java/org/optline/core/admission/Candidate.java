package org.optline.core.admission;

import java.util.concurrent.CompletableFuture;
import org.optline.core.limit.AntiSpamLimits;
import org.optline.core.message.Category;
import org.optline.core.message.Outcome;
import org.optline.core.message.Reason;
import org.optline.core.message.Submission;
import org.optline.core.recipient.PhoneNumber;

/**
 * One message on its way through the stages: what the stages have learned about it so far,
 * and the future of its outcome. A candidate is decided once its outcome is known or bound
 * to an earlier submission's; the stages after that skip it.
 */
final class Candidate {
    final Submission submission;
    final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    PhoneNumber recipient;
    String text;
    Category category;
    boolean reclassified;
    /** Why the classifier moved this message to another category; empty when it did not. */
    String classificationDetail = "";
    /** The anti-spam counts this candidate took, to give back if it is not queued after all. */
    AntiSpamLimits.Verdict countedByLimits;
    private boolean decided;

    Candidate(Submission submission) {
        this.submission = submission;
        this.category = submission.declaredCategory();
    }

    String clientMessageId() {
        return submission.clientMessageId();
    }

    boolean isDecided() {
        return decided;
    }

    void refuse(Reason reason, String detail) {
        String full = classificationDetail.isEmpty() ? detail : detail + "; " + classificationDetail;
        decide(Outcome.refused(clientMessageId(), reason, category, reclassified, full));
    }

    void retryLater(Reason reason, long retryAfterMillis, String detail) {
        decide(Outcome.retryLater(clientMessageId(), reason, retryAfterMillis, detail));
    }

    void decide(Outcome decision) {
        decided = true;
        outcome.complete(decision);
    }

    /** Binds this candidate to the outcome of an earlier submission with the same key. */
    void repeatOf(CompletableFuture<Outcome> earlier) {
        decided = true;
        earlier.whenComplete((first, error) -> {
            if (error != null) {
                outcome.completeExceptionally(error);
            } else if (first.reason().isRetryable()) {
                // The first submission queued nothing; this one is a fresh try that came too early.
                outcome.complete(Outcome.retryLater(clientMessageId(), first.reason(), first.retryAfterMillis(),
                        first.detail()));
            } else {
                outcome.complete(first.asDuplicate());
            }
        });
    }
}
