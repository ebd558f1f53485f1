package org.optline.core.admission;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.optline.core.business.Business;
import org.optline.core.classify.Classification;
import org.optline.core.classify.Classifier;
import org.optline.core.message.Reason;

/** Stage 5: decides the effective category, and refuses abusive content as REJECTED_SPAM. */
final class ClassificationStage implements Stage {
    private final Classifier classifier;

    ClassificationStage(Classifier classifier) {
        this.classifier = classifier;
    }

    @Override
    public CompletableFuture<Void> apply(Business business, List<Candidate> undecided) {
        for (Candidate candidate : undecided) {
            Classification classification = classifier.classify(candidate.text, candidate.category);
            candidate.reclassified = classification.category() != candidate.submission.declaredCategory();
            candidate.category = classification.category();
            if (classification.spam()) {
                candidate.refuse(Reason.REJECTED_SPAM, "content matches the " + classification.rule() + " rule");
            }
        }
        return DONE;
    }
}
