package org.optline.core.idempotency;

import java.util.Optional;
import org.optline.core.message.Outcome;

/**
 * The durable side of the idempotency window: first outcomes that outlive a restart. An
 * ACCEPTED outcome is recorded by the delivery queue's append itself, in the same atomic write
 * as the message, so a message and its idempotency record are never apart; refusals are
 * recorded here.
 */
public interface IdempotencyRecords {
    /** For the in-memory mode: nothing outlives the process. */
    IdempotencyRecords NONE = new IdempotencyRecords() {
        @Override
        public Optional<Outcome> find(String businessId, String clientMessageId) {
            return Optional.empty();
        }

        @Override
        public void recordRefusal(String businessId, String clientMessageId, Outcome refusal) {}
    };

    /** The first outcome recorded for this key within the window, if any. May read the disk. */
    Optional<Outcome> find(String businessId, String clientMessageId);

    /**
     * Records a definite refusal (not a retryable one). Not synced: after a crash a refusal may
     * be forgotten, which only means the retry is judged afresh, never that a copy is queued twice.
     */
    void recordRefusal(String businessId, String clientMessageId, Outcome refusal);
}
