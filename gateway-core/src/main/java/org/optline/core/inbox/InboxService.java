package org.optline.core.inbox;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.storage.StoreExecutor;

/**
 * The delivery side's view of a recipient's queue: read the oldest messages in acceptance order,
 * and acknowledge the ones delivered, which then leave the queue. Runs on the store threads.
 */
public final class InboxService {
    /** A page of the inbox: enough for a phone's sync, small enough for one response. */
    public static final int DEFAULT_PAGE = 100;
    /** The most messages read or acknowledged at once. */
    public static final int MAX_PAGE = 1_000;

    private final Inbox inbox;
    private final StoreExecutor store;

    public InboxService(Inbox inbox, StoreExecutor store) {
        this.inbox = inbox;
        this.store = store;
    }

    /** Up to {@code max} (1 to {@link #MAX_PAGE}) of the recipient's oldest messages, oldest first. */
    public CompletableFuture<List<QueuedMessage>> read(PhoneNumber recipient, int max) {
        if (max < 1 || max > MAX_PAGE) {
            throw new IllegalArgumentException("a page holds 1 to " + MAX_PAGE + " messages");
        }
        return store.call(() -> inbox.peek(recipient, max));
    }

    /**
     * Removes delivered messages (at most {@link #MAX_PAGE}) from the recipient's queue; ids of
     * other recipients' messages, or of messages already gone, are ignored. Completes with how
     * many were removed.
     */
    public CompletableFuture<Integer> acknowledge(PhoneNumber recipient, Collection<String> messageIds) {
        if (messageIds.size() > MAX_PAGE) {
            throw new IllegalArgumentException("acknowledge at most " + MAX_PAGE + " messages at once");
        }
        return store.call(() -> inbox.acknowledge(recipient, messageIds));
    }
}
