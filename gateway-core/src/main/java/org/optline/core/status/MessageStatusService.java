package org.optline.core.status;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.optline.core.inbox.Inbox;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.storage.StoreExecutor;

/**
 * Where a business's message stands. A business sees only its own messages: another business's
 * message is answered exactly like a missing one, so ids reveal nothing. In this version a
 * message is found while it is queued, and not after the delivery side acknowledged it.
 */
public final class MessageStatusService {
    /** Longer ids are never ours (a UUID is 36 characters); refused before any lookup. */
    public static final int MAX_ID_LENGTH = 64;

    private final Inbox inbox;
    private final StoreExecutor store;

    public MessageStatusService(Inbox inbox, StoreExecutor store) {
        this.inbox = inbox;
        this.store = store;
    }

    /** The business's queued message with this id, if there is one. */
    public CompletableFuture<Optional<QueuedMessage>> status(String businessId, String messageId) {
        if (messageId.isEmpty() || messageId.length() > MAX_ID_LENGTH) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return store.call(() -> inbox.find(messageId))
                .thenApply(found -> found.filter(message -> message.businessId().equals(businessId)));
    }
}
