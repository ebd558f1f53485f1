package org.optline.core.idempotency;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.optline.core.message.Outcome;

/**
 * The durable side of the idempotency window: first outcomes that outlive a restart. An
 * ACCEPTED outcome is written by {@link org.optline.core.queue.DeliveryLog#append} together with
 * its message; refusals are recorded here.
 */
public interface IdempotencyRecords {
    /** For the in-memory mode: nothing outlives the process. */
    IdempotencyRecords NONE = new IdempotencyRecords() {
        @Override
        public CompletableFuture<Optional<Outcome>> find(String businessId, String clientMessageId) {
            return CompletableFuture.completedFuture(Optional.empty());
        }

        @Override
        public void recordRefusal(IdempotencyRecord refusal) {}
    };

    /** The first outcome recorded for this key within the window, if any. */
    CompletableFuture<Optional<Outcome>> find(String businessId, String clientMessageId);

    /**
     * Records a definite refusal (not a retryable one), without waiting for it to be durable:
     * after a crash a refusal may be forgotten, which only means the retry is judged afresh,
     * never that a copy is queued twice.
     */
    void recordRefusal(IdempotencyRecord refusal);
}
