package org.optline.core.admission;

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
    public void apply(Business business, List<Candidate> undecided) {
        for (Candidate candidate : undecided) {
            CompletableFuture<Outcome> earlier = window.claim(business.id(), candidate.clientMessageId(),
                    candidate.outcome);
            if (earlier == null) {
                candidate.claimed = true;
            } else {
                candidate.repeatOf(earlier);
            }
        }
    }
}
