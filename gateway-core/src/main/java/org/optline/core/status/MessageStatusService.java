package org.optline.core.status;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.optline.core.delivery.MessageHistory;
import org.optline.core.delivery.MessageRecord;
import org.optline.core.message.Outcome;
import org.optline.core.storage.StoreExecutor;

/**
 * Where a business's message stands: its state and when it reached each one, while it is queued
 * and for the status retention after it left its queue; by message_id or by client_message_id,
 * and for a refused message, by client_message_id, its reason for the idempotency window. A
 * business sees only its own messages: another business's message is answered exactly like a
 * missing one, so ids reveal nothing.
 */
public final class MessageStatusService {
    /** Longer ids are never ours (a UUID is 36 characters); refused before any lookup. */
    public static final int MAX_ID_LENGTH = 64;
    /** The longest client_message_id admission takes; longer ones were never anyone's. */
    public static final int MAX_CLIENT_MESSAGE_ID_LENGTH = 128;

    private final MessageHistory history;
    private final FirstOutcomes firstOutcomes;
    private final StoreExecutor store;

    public MessageStatusService(MessageHistory history, FirstOutcomes firstOutcomes, StoreExecutor store) {
        this.history = history;
        this.firstOutcomes = firstOutcomes;
        this.store = store;
    }

    /** What a status read by client_message_id found. */
    public sealed interface ByClientId {
        /** An accepted message, queued or retained. */
        record Accepted(MessageRecord record) implements ByClientId {}

        /** A refusal remembered for the idempotency window, with its reason. */
        record Refused(Outcome outcome) implements ByClientId {}

        record NotFound() implements ByClientId {}
    }

    /** The business's message with this id, queued or retained. */
    public CompletableFuture<Optional<MessageRecord>> status(String businessId, String messageId) {
        if (messageId.isEmpty() || messageId.length() > MAX_ID_LENGTH) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return store.call(() -> history.record(messageId))
                .thenApply(found -> found.filter(record -> record.businessId().equals(businessId)));
    }

    /**
     * The business's latest message under this client_message_id: accepted (queued or retained),
     * or refused within the idempotency window.
     */
    public CompletableFuture<ByClientId> statusByClientMessageId(String businessId, String clientMessageId) {
        if (clientMessageId.isEmpty() || clientMessageId.length() > MAX_CLIENT_MESSAGE_ID_LENGTH) {
            return CompletableFuture.completedFuture(new ByClientId.NotFound());
        }
        return store.call(() -> history.recordByClientMessageId(businessId, clientMessageId)).thenCompose(found -> {
            if (found.isPresent()) {
                return CompletableFuture.completedFuture(new ByClientId.Accepted(found.get()));
            }
            return store.call(() -> firstOutcomes.firstOutcome(businessId, clientMessageId)).thenApply(first -> first
                    .filter(outcome -> !outcome.isAccepted())
                    .<ByClientId>map(ByClientId.Refused::new)
                    .orElseGet(ByClientId.NotFound::new));
        });
    }
}
