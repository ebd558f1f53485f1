package org.optline.core.admission;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.optline.core.business.Business;
import org.optline.core.idempotency.IdempotencyWindow;
import org.optline.core.message.Outcome;

/**
 * Stage 4: a (business, client_message_id) seen within the window gets the first outcome
 * again, marked duplicate, and queues nothing. Two copies in one batch count as a retry too.
 */
final class IdempotencyStage implements Stage {
    private final IdempotencyWindow window;

    IdempotencyStage(IdempotencyWindow window) {
        this.window = window;
    }

    @Override
    public CompletableFuture<Void> apply(Business business, List<Candidate> undecided) {
        List<CompletableFuture<CompletableFuture<Outcome>>> claims = new ArrayList<>(undecided.size());
        boolean allKnown = true;
        for (Candidate candidate : undecided) {
            CompletableFuture<CompletableFuture<Outcome>> claim =
                    window.claim(business.id(), candidate.clientMessageId(), candidate.outcome);
            claims.add(claim);
            // A claim whose lookup failed is left to the pipeline, which answers it as a failed read.
            allKnown &= claim.isDone() && !claim.isCompletedExceptionally();
        }
        if (allKnown) {
            bind(undecided, claims);
            return DONE;
        }
        return CompletableFuture.allOf(claims.toArray(CompletableFuture<?>[]::new))
                .thenRun(() -> bind(undecided, claims));
    }

    /** Every claim is complete here: a new one lets its candidate go on, a taken one binds it to the first. */
    private static void bind(List<Candidate> undecided, List<CompletableFuture<CompletableFuture<Outcome>>> claims) {
        for (int i = 0; i < undecided.size(); i++) {
            CompletableFuture<Outcome> earlier = claims.get(i).join();
            if (earlier != null) {
                undecided.get(i).repeatOf(earlier);
            }
        }
    }
}
