package org.optline.core.admission;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.optline.core.business.Business;
import org.optline.core.limit.ThroughputLimiter;
import org.optline.core.message.Reason;

/** Stage 2: the business's throughput limit. The first messages of a batch get the permits there are. */
final class ThroughputStage implements Stage {
    private final ThroughputLimiter limiter;

    ThroughputStage(ThroughputLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public CompletableFuture<Void> apply(Business business, List<Candidate> undecided) {
        int granted = limiter.tryTake(business, undecided.size());
        if (granted == undecided.size()) {
            return DONE;
        }
        long retryAfter = limiter.retryAfterMillis(business);
        String detail = "throughput limit of " + business.throughputPerSecond() + " messages/s";
        for (Candidate candidate : undecided.subList(granted, undecided.size())) {
            candidate.retryLater(Reason.RATE_LIMITED, retryAfter, detail);
        }
        return DONE;
    }
}
