package org.optline.core.inbox;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.optline.core.delivery.Settlement;
import org.optline.core.delivery.Transition;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.recipient.PhoneNumber;

/**
 * The read side of delivery: each recipient's queue in hand-out order ({@link
 * org.optline.core.delivery.Priority}: category, then acceptance order), as the delivery side
 * leases, acknowledges and reports it. An engine may serve it from the same store as the
 * {@link org.optline.core.queue.DeliveryLog} or from a view it builds of that log.
 *
 * <p>Every change is a record an engine on a log can write as an event: a lease (message, until
 * when, holder), a release, and each {@link Transition}. A transition leaves the queue, is kept as the
 * message's status (see {@link org.optline.core.delivery.MessageHistory}) and is put in the
 * webhook outbox, all in one atomic step: after a crash all three are there or none.
 */
public interface Inbox {

    /**
     * Up to {@code max} of the recipient's oldest queued messages in acceptance order (the log's
     * order, not the hand-out order), leased or not, without leasing them: for tools and tests
     * that look.
     */
    CompletableFuture<List<QueuedMessage>> peek(PhoneNumber recipient, int max);

    /** A message that is still queued. */
    CompletableFuture<Optional<QueuedMessage>> find(String messageId);

    /**
     * Leases up to {@code max} of the recipient's messages that no reader holds, in hand-out order,
     * to {@code holder} until {@code now + leaseFor}: no other lease gets them before then, unless
     * released. A message whose {@link org.optline.core.delivery.MessageGroup group} has an earlier
     * message under another holder's lease is not handed out either (it would overtake that one if
     * its reader never acknowledged it); the holder's own leases hold nothing back. A message whose
     * time to live has passed is never handed out: it leaves the queue as EXPIRED instead, unless
     * another holder's lease still covers it.
     *
     * @param holder who takes the lease: one pull, or one push subscription for all of its leases.
     *     Only that holder can {@link #release} it; any non-zero number unique to the holder
     */
    CompletableFuture<Leased> lease(PhoneNumber recipient, long holder, int max, Instant now, Duration leaseFor);

    /**
     * Ends {@code holder}'s leases of these messages of the recipient at once, so that the next
     * lease gets them. A message whose lease ran out and was then leased to someone else is not
     * touched: a late release never frees another reader's lease.
     */
    CompletableFuture<Void> release(PhoneNumber recipient, long holder, Collection<String> messageIds);

    /**
     * Records what the delivery side reports about these messages of the recipient, at {@code at}:
     * DELIVERED and FAILED take a queued message out of its queue; READ follows DELIVERED (a queued
     * message reported read is delivered and read at once). Ids of other recipients' messages,
     * unknown ids and messages already past that state are ignored. Completes, when durable, with
     * the transitions made.
     */
    CompletableFuture<List<Transition>> settle(PhoneNumber recipient, Collection<String> messageIds,
                                               Settlement settlement, Instant at);

    /**
     * Takes up to {@code max} messages whose time to live has passed by {@code now} out of every
     * queue, as EXPIRED. A message under a live lease is not taken: it was handed out and may have
     * reached the phone, so its reader's acknowledgement still counts until the lease runs out;
     * then, unacknowledged, it expires. Completes, when durable, with the transitions made and
     * whether more may be due.
     */
    CompletableFuture<Expired> expire(Instant now, int max);

    /**
     * Right to erasure: removes the recipient's whole queue, and with each message its
     * idempotency record, and the statuses of the recipient's past messages. Completes, when
     * durable, with the queued messages removed.
     */
    CompletableFuture<List<QueuedMessage>> erase(PhoneNumber recipient);

    /**
     * What a lease got: the messages, the messages that expired instead of being handed out, how
     * many of the messages had been leased before and came back because that lease ran out, and
     * the earliest time a lease of another holder runs out among the messages it skipped (null when
     * none was skipped), so that a waiting reader knows when to look again.
     */
    record Leased(List<QueuedMessage> messages, List<Transition> expired, int leasesRunOut, Instant heldUntil) {
        public static final Leased NONE = new Leased(List.of(), List.of(), 0, null);
    }

    /**
     * What one expiry sweep did: the messages that expired, and whether it stopped at its
     * {@code max} with more entries possibly due (the caller sweeps again).
     */
    record Expired(List<Transition> transitions, boolean more) {
        public static final Expired NONE = new Expired(List.of(), false);
    }
}
