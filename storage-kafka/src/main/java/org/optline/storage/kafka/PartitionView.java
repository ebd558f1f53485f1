package org.optline.storage.kafka;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.optline.core.delivery.MessageHistory;
import org.optline.core.delivery.Transition;
import org.optline.core.idempotency.IdempotencyRecord;
import org.optline.core.inbox.Inbox;
import org.optline.core.limit.AntiSpamPolicy;
import org.optline.core.message.Category;
import org.optline.core.message.Outcome;
import org.optline.core.message.Reason;
import org.optline.core.queue.Accepted;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.storage.memory.InMemoryDeliveryQueues;
import org.optline.core.webhook.OutboxEvent;
import org.optline.core.webhook.WebhookStore;

/**
 * The inbox of one partition of the delivery topic, as its owner builds it from the partition's
 * records: the queues with their leases, the statuses of messages that left them and the webhook
 * outbox (an {@link InMemoryDeliveryQueues}, which decides each command from its arguments and its
 * state alone), the first outcome of each (business, client_message_id) seen in the partition
 * within the idempotency window, and the marketing messages each recipient got within the caps'
 * window. A recipient's messages are all in one partition, so a repeat across nodes, the marketing
 * caps and the duplicate-content rule are decided here, exactly, for the whole cluster. It is a cache: a new owner rebuilds it from the
 * start of the partition, and reaches the same state because every record is applied the same
 * way in the same order.
 *
 * <p>Only the thread that reads the partition applies records; the queues guard themselves, so
 * other threads may read them.
 */
final class PartitionView {
    private record ClientKey(String businessId, String clientMessageId) {}

    /** The first acceptance of a client key, and the recipient it went to (for erasure). */
    private record First(IdempotencyRecord record, String recipient) {}

    /** How many results of appends that were not queued are kept for their writers to ask about. */
    static final int KEPT_RESULTS = 100_000;

    final int partition;
    final InMemoryDeliveryQueues queues = new InMemoryDeliveryQueues();
    private final LinkedHashMap<ClientKey, First> firsts = new LinkedHashMap<>();
    /** Marketing messages queued per recipient within the caps' window, oldest first: the caps, exact. */
    private final Map<String, ArrayDeque<Offer>> offers = new HashMap<>();

    /** A marketing message that counts against its recipient's caps. */
    private record Offer(Instant at, String businessId, long textHash) {}
    /** Offsets of appends that were not queued, with the outcome their writer gets instead. */
    private final TreeMap<Long, Outcome> notQueued = new TreeMap<>();
    /** The latest acceptance time applied: the idempotency window is measured against the log, not a clock. */
    private Instant latest = Instant.EPOCH;
    /** The last offset applied; -1 before the first. */
    private volatile long applied = -1;
    /** The partition's end when it was assigned: the view serves once it has applied everything before it. */
    private final long liveFrom;
    private volatile boolean live;

    PartitionView(int partition, long liveFrom) {
        this.partition = partition;
        this.liveFrom = liveFrom;
        this.live = liveFrom == 0;
    }

    boolean live() {
        return live;
    }

    long applied() {
        return applied;
    }

    /** Called by the reading thread with the consumer's position: live once caught up with the end at assignment. */
    void caughtUpTo(long position) {
        if (!live && position >= liveFrom) {
            live = true;
        }
    }

    /**
     * Applies one record and answers what it did: for an append, the outcome its writer gets when
     * the message is not queued (a repeat of an earlier one), else null; for the other commands,
     * their result for the {@link Inbox} method they stand for.
     */
    synchronized Object apply(long offset, DeliveryCommand command) {
        Object result;
        if (command instanceof DeliveryCommand.Append append) {
            result = append(offset, append);
        } else if (command instanceof DeliveryCommand.Lease l) {
            result = queues.lease(l.recipient(), l.holder(), l.max(), l.now(), l.leaseFor()).join();
        } else if (command instanceof DeliveryCommand.Release r) {
            result = queues.release(r.recipient(), r.holder(), r.messageIds()).join();
        } else if (command instanceof DeliveryCommand.Settle s) {
            result = queues.settle(s.recipient(), s.messageIds(), s.settlement(), s.at()).join();
        } else if (command instanceof DeliveryCommand.Expire e) {
            result = queues.expire(e.now(), e.max()).join();
        } else if (command instanceof DeliveryCommand.Erase e) {
            result = erase(e);
        } else if (command instanceof DeliveryCommand.Purge p) {
            result = queues.purge(p.leftBefore(), p.max()).join();
        } else if (command instanceof DeliveryCommand.Outbox o) {
            result = o.action() == DeliveryCommand.OutboxAction.REMOVE
                    ? queues.webhooks().remove(o.businessId(), o.through()).join()
                    : queues.webhooks().deadLetter(o.businessId(), o.through()).join();
        } else if (command instanceof DeliveryCommand.ReplayDeadLetters r) {
            result = queues.webhooks().replay(r.businessId(), r.max()).join();
        } else if (command instanceof DeliveryCommand.DropDeadLetters d) {
            result = queues.webhooks().dropDeadLetters(d.before(), d.max()).join();
        } else {
            result = dropOutbox(((DeliveryCommand.DropOutbox) command).businessId());
        }
        applied = offset;
        return result;
    }

    private Outcome append(long offset, DeliveryCommand.Append append) {
        Accepted accepted = append.accepted();
        QueuedMessage message = accepted.message();
        ClientKey key = new ClientKey(message.businessId(), message.clientMessageId());
        if (message.acceptedAt().isAfter(latest)) {
            latest = message.acceptedAt();
        }
        forgetOlderThan(latest.minus(append.idempotencyWindow()));
        First first = firsts.get(key);
        if (first != null && message.acceptedAt().isBefore(first.record().decidedAt().plus(append.idempotencyWindow()))) {
            // A retry written by another node (or one whose answer was lost): the first is queued, this one is not.
            Outcome repeat = first.record().outcome().asDuplicate();
            remember(offset, repeat);
            return repeat;
        }
        if (message.category() == Category.MARKETING) {
            Outcome capped = capped(message, append.caps());
            if (capped != null) {
                remember(offset, capped);
                return capped;
            }
        }
        firsts.remove(key);
        firsts.put(key, new First(accepted.idempotency(), message.recipient().e164()));
        queues.append(List.of(accepted)).join();
        return null;
    }

    /**
     * The marketing caps and the duplicate-content rule, decided here, in the log's order, over
     * every node's messages: exact across the cluster. Null when the message passes (and is counted).
     */
    private Outcome capped(QueuedMessage message, AntiSpamPolicy caps) {
        ArrayDeque<Offer> recent = offers.computeIfAbsent(message.recipient().e164(), r -> new ArrayDeque<>());
        Instant windowStart = message.acceptedAt().minus(caps.window());
        while (!recent.isEmpty() && !recent.peekFirst().at().isAfter(windowStart)) {
            recent.pollFirst();
        }
        long textHash = fnv1a64(message.text());
        int fromBusiness = 0;
        for (Offer offer : recent) {
            if (offer.businessId().equals(message.businessId())) {
                if (offer.textHash() == textHash) {
                    return refusal(message, Reason.DUPLICATE_CONTENT, "the same marketing text went to this recipient within 24 h");
                }
                fromBusiness++;
            }
        }
        if (recent.size() >= caps.marketingPerRecipient() || fromBusiness >= caps.marketingPerRecipientPerBusiness()) {
            return refusal(message, Reason.FREQUENCY_CAPPED, "the recipient reached a marketing frequency cap");
        }
        recent.addLast(new Offer(message.acceptedAt(), message.businessId(), textHash));
        return null;
    }

    private static Outcome refusal(QueuedMessage message, Reason reason, String detail) {
        return Outcome.refused(message.clientMessageId(), reason, message.category(), message.reclassified(), detail);
    }

    private void remember(long offset, Outcome instead) {
        notQueued.put(offset, instead);
        while (notQueued.size() > KEPT_RESULTS) {
            notQueued.pollFirstEntry();
        }
    }

    /** The hash the single node's duplicate-content rule uses too. */
    private static long fnv1a64(String text) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    private void forgetOlderThan(Instant windowStart) {
        Iterator<First> oldest = firsts.values().iterator();
        while (oldest.hasNext()) {
            if (oldest.next().record().decidedAt().isAfter(windowStart)) {
                return;
            }
            oldest.remove();
        }
    }

    private List<QueuedMessage> erase(DeliveryCommand.Erase erase) {
        String e164 = erase.recipient().e164();
        // The idempotency records go with the messages, as on one node: a retry after an erasure is new.
        firsts.values().removeIf(first -> first.recipient().equals(e164));
        offers.remove(e164);
        return queues.erase(erase.recipient()).join();
    }

    private Void dropOutbox(String businessId) {
        queues.webhooks().unregister(businessId).join();
        return null;
    }

    /**
     * What the append at {@code offset} came to: empty when it was queued, the outcome its writer
     * answers instead otherwise, or null when it is too old to say (its result was dropped).
     */
    Optional<Outcome> resultOf(long offset) {
        synchronized (this) {
            Outcome repeat = notQueued.get(offset);
            if (repeat != null) {
                return Optional.of(repeat);
            }
            if (!notQueued.isEmpty() && offset < notQueued.firstKey() && notQueued.size() >= KEPT_RESULTS) {
                return null;
            }
            return Optional.empty();
        }
    }

    /** The first outcome of a client key accepted in this partition, if it is within the window. */
    Optional<Outcome> firstOutcome(String businessId, String clientMessageId) {
        synchronized (this) {
            First first = firsts.get(new ClientKey(businessId, clientMessageId));
            return first == null ? Optional.empty() : Optional.of(first.record().outcome());
        }
    }

    WebhookStore webhooks() {
        return queues.webhooks();
    }

    Inbox inbox() {
        return queues;
    }

    MessageHistory history() {
        return queues;
    }

    /** Outbox events as the engine numbers them across partitions: the partition in the low bits. */
    List<OutboxEvent> numbered(List<OutboxEvent> events) {
        List<OutboxEvent> numbered = new ArrayList<>(events.size());
        for (OutboxEvent event : events) {
            numbered.add(new OutboxEvent(OutboxSequences.of(partition, event.sequence()), event.transition()));
        }
        return numbered;
    }

    /** Transitions made by applying a command, to report to the node's delivery listener. */
    static List<Transition> transitionsOf(Object result) {
        if (result instanceof Inbox.Leased leased) {
            return leased.expired();
        }
        if (result instanceof Inbox.Expired expired) {
            return expired.transitions();
        }
        return List.of();
    }
}
