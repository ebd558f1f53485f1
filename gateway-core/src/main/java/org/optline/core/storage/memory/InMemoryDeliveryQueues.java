package org.optline.core.storage.memory;

import static java.util.concurrent.CompletableFuture.completedFuture;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.optline.core.delivery.MessageGroup;
import org.optline.core.delivery.MessageHistory;
import org.optline.core.delivery.MessageRecord;
import org.optline.core.delivery.MessageState;
import org.optline.core.delivery.Priority;
import org.optline.core.delivery.Settlement;
import org.optline.core.delivery.Transition;
import org.optline.core.inbox.Arrivals;
import org.optline.core.inbox.Inbox;
import org.optline.core.queue.Accepted;
import org.optline.core.queue.DeliveryLog;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.recipient.PhoneNumber;

/**
 * The delivery side in the heap — the log, the inbox with its leases, the statuses of messages
 * that left their queues, and (through {@link InMemoryWebhooks}) the webhook outbox: for tests and
 * the explicit ephemeral mode. Nothing here survives a restart, and the heap grows with the
 * queues; the durable engine does neither. The idempotency records that come with appends are
 * not kept: in memory the idempotency window itself is the only record.
 *
 * <p>One lock guards it all: simple, and the ephemeral mode is not for sustained load.
 */
public final class InMemoryDeliveryQueues implements DeliveryLog, Inbox, MessageHistory {
    /** Hand-out order: category rank, then acceptance sequence. */
    private record Place(int rank, long sequence) implements Comparable<Place> {
        @Override
        public int compareTo(Place other) {
            int byRank = Integer.compare(rank, other.rank);
            return byRank != 0 ? byRank : Long.compare(sequence, other.sequence);
        }
    }

    private record Timed(Instant at, long sequence) implements Comparable<Timed> {
        @Override
        public int compareTo(Timed other) {
            int byTime = at.compareTo(other.at);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }

    private record ClientKey(String businessId, String clientMessageId) {}

    private static final class Entry {
        final QueuedMessage message;
        final Place place;
        Instant leasedUntil;
        long holder;
        boolean leasedBefore;

        Entry(QueuedMessage message, Place place) {
            this.message = message;
            this.place = place;
        }
    }

    private final Map<PhoneNumber, TreeMap<Place, Entry>> queues = new HashMap<>();
    private final Map<String, Entry> byId = new HashMap<>();
    private final TreeMap<Timed, String> expiries = new TreeMap<>();
    private final Map<String, MessageRecord> past = new HashMap<>();
    private final TreeMap<Timed, String> retention = new TreeMap<>();
    private final Map<ClientKey, String> byClientId = new HashMap<>();
    private final InMemoryWebhooks webhooks = new InMemoryWebhooks();
    private final Arrivals arrivals = new Arrivals();
    private long sequence;

    /** The webhook registrations and the outbox the transitions go to. */
    public InMemoryWebhooks webhooks() {
        return webhooks;
    }

    /** Who has new messages to hand out. */
    public Arrivals arrivals() {
        return arrivals;
    }

    @Override
    public CompletableFuture<Void> append(List<Accepted> accepted) {
        LinkedHashSet<PhoneNumber> recipients = new LinkedHashSet<>();
        synchronized (this) {
            for (Accepted each : accepted) {
                QueuedMessage message = each.message();
                long seq = ++sequence;
                Entry entry = new Entry(message, new Place(Priority.rank(message.category()), seq));
                queues.computeIfAbsent(message.recipient(), r -> new TreeMap<>()).put(entry.place, entry);
                byId.put(message.messageId(), entry);
                byClientId.put(new ClientKey(message.businessId(), message.clientMessageId()), message.messageId());
                if (message.expiresAt() != null) {
                    expiries.put(new Timed(message.expiresAt(), seq), message.messageId());
                }
                recipients.add(message.recipient());
            }
        }
        recipients.forEach(arrivals::arrived);
        return completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<Optional<QueuedMessage>> find(String messageId) {
        Entry entry = byId.get(messageId);
        return completedFuture(entry == null ? Optional.empty() : Optional.of(entry.message));
    }

    @Override
    public synchronized CompletableFuture<List<QueuedMessage>> peek(PhoneNumber recipient, int max) {
        TreeMap<Place, Entry> queue = queues.get(recipient);
        if (queue == null || max <= 0) {
            return completedFuture(List.of());
        }
        List<Entry> entries = new ArrayList<>(queue.values());
        entries.sort(Comparator.comparingLong(entry -> entry.place.sequence()));
        List<QueuedMessage> first = new ArrayList<>(Math.min(max, entries.size()));
        for (Entry entry : entries) {
            if (first.size() == max) {
                break;
            }
            first.add(entry.message);
        }
        return completedFuture(first);
    }

    @Override
    public CompletableFuture<Leased> lease(PhoneNumber recipient, long holder, int max, Instant now,
                                           Duration leaseFor) {
        List<QueuedMessage> leased = new ArrayList<>();
        List<Transition> expired = new ArrayList<>();
        int runOut = 0;
        Instant heldUntil = null;
        synchronized (this) {
            TreeMap<Place, Entry> queue = queues.get(recipient);
            if (queue == null || max <= 0) {
                return completedFuture(Leased.NONE);
            }
            // Groups with a message under another holder's lease: their later messages wait for it.
            Set<MessageGroup> held = new HashSet<>();
            for (Iterator<Entry> it = queue.values().iterator(); it.hasNext() && leased.size() < max; ) {
                Entry entry = it.next();
                if (entry.leasedUntil != null && now.isBefore(entry.leasedUntil)) {
                    if (entry.holder != holder) {
                        held.add(MessageGroup.of(entry.message));
                        heldUntil = heldUntil == null || entry.leasedUntil.isBefore(heldUntil)
                                ? entry.leasedUntil : heldUntil;
                    }
                    continue;
                }
                if (entry.message.isExpiredAt(now)) {
                    it.remove();
                    expired.add(leave(entry, MessageState.EXPIRED, now, ""));
                    continue;
                }
                if (held.contains(MessageGroup.of(entry.message))) {
                    continue;
                }
                if (entry.leasedBefore) {
                    runOut++;
                }
                entry.leasedUntil = now.plus(leaseFor);
                entry.holder = holder;
                entry.leasedBefore = true;
                leased.add(entry.message);
            }
            dropIfEmpty(recipient, queue);
        }
        return completedFuture(new Leased(leased, expired, runOut, heldUntil));
    }

    @Override
    public CompletableFuture<Void> release(PhoneNumber recipient, long holder, Collection<String> messageIds) {
        boolean released = false;
        synchronized (this) {
            for (String id : messageIds) {
                Entry entry = byId.get(id);
                if (entry != null && entry.message.recipient().equals(recipient) && entry.leasedUntil != null
                        && entry.holder == holder) {
                    entry.leasedUntil = null;
                    // Given back, not run out: the next lease of it is not a lease expiry.
                    entry.leasedBefore = false;
                    released = true;
                }
            }
        }
        if (released) {
            arrivals.arrived(recipient);
        }
        return completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<List<Transition>> settle(PhoneNumber recipient, Collection<String> messageIds,
                                                                   Settlement settlement, Instant at) {
        List<Transition> made = new ArrayList<>();
        TreeMap<Place, Entry> queue = queues.get(recipient);
        for (String id : new LinkedHashSet<>(messageIds)) {
            Entry entry = byId.get(id);
            if (entry != null && entry.message.recipient().equals(recipient)) {
                queue.remove(entry.place);
                MessageState leaving = settlement.state() == MessageState.FAILED
                        ? MessageState.FAILED : MessageState.DELIVERED;
                made.add(leave(entry, leaving, at, settlement.reason()));
                if (settlement.state() == MessageState.READ) {
                    made.add(record(past.get(id).to(MessageState.READ, at, "")));
                }
                continue;
            }
            MessageRecord record = past.get(id);
            if (settlement.state() == MessageState.READ && record != null && record.recipient().equals(recipient)
                    && record.state() == MessageState.DELIVERED) {
                made.add(record(record.to(MessageState.READ, at, "")));
            }
        }
        if (queue != null) {
            dropIfEmpty(recipient, queue);
        }
        return completedFuture(made);
    }

    @Override
    public synchronized CompletableFuture<Expired> expire(Instant now, int max) {
        List<Transition> made = new ArrayList<>();
        int looked = 0;
        while (!expiries.isEmpty() && !expiries.firstKey().at().isAfter(now)) {
            if (looked++ == max) {
                return completedFuture(new Expired(made, true));
            }
            String id = expiries.pollFirstEntry().getValue();
            Entry entry = byId.get(id);
            if (entry == null) {
                continue;
            }
            if (entry.leasedUntil != null && now.isBefore(entry.leasedUntil)) {
                // Handed out and not acknowledged yet: it expires when the lease runs out, unless
                // the reader acknowledges it first (it may well have reached the phone).
                expiries.put(new Timed(entry.leasedUntil, entry.place.sequence()), id);
                continue;
            }
            TreeMap<Place, Entry> queue = queues.get(entry.message.recipient());
            queue.remove(entry.place);
            dropIfEmpty(entry.message.recipient(), queue);
            made.add(leave(entry, MessageState.EXPIRED, now, ""));
        }
        return completedFuture(new Expired(made, false));
    }

    /** Takes a message out of the queue's indexes (not the queue map itself) into the past. */
    private Transition leave(Entry entry, MessageState state, Instant at, String reason) {
        QueuedMessage message = entry.message;
        byId.remove(message.messageId());
        forgetExpiry(entry);
        MessageRecord record = MessageRecord.queued(message).to(state, at, reason);
        retention.put(new Timed(at, entry.place.sequence()), message.messageId());
        return record(record);
    }

    /** Its entry in the expiry index: at its expiry, or where a sweep moved it, at the end of its lease. */
    private void forgetExpiry(Entry entry) {
        if (entry.message.expiresAt() != null) {
            expiries.remove(new Timed(entry.message.expiresAt(), entry.place.sequence()));
            if (entry.leasedUntil != null) {
                expiries.remove(new Timed(entry.leasedUntil, entry.place.sequence()));
            }
        }
    }

    private Transition record(MessageRecord record) {
        past.put(record.messageId(), record);
        Transition transition = Transition.of(record);
        webhooks.enqueue(transition);
        return transition;
    }

    private void dropIfEmpty(PhoneNumber recipient, TreeMap<Place, Entry> queue) {
        if (queue.isEmpty()) {
            queues.remove(recipient);
        }
    }

    @Override
    public synchronized CompletableFuture<Optional<MessageRecord>> record(String messageId) {
        return completedFuture(recordOf(messageId));
    }

    @Override
    public synchronized CompletableFuture<Optional<MessageRecord>> recordByClientMessageId(String businessId,
                                                                                      String clientMessageId) {
        String id = byClientId.get(new ClientKey(businessId, clientMessageId));
        return completedFuture(id == null ? Optional.empty() : recordOf(id));
    }

    private Optional<MessageRecord> recordOf(String messageId) {
        Entry entry = byId.get(messageId);
        if (entry != null) {
            return Optional.of(MessageRecord.queued(entry.message));
        }
        return Optional.ofNullable(past.get(messageId));
    }

    @Override
    public synchronized CompletableFuture<Purged> purge(Instant leftBefore, int max) {
        int purged = 0;
        int looked = 0;
        while (!retention.isEmpty() && retention.firstKey().at().isBefore(leftBefore)) {
            if (looked++ == max) {
                return completedFuture(new Purged(purged, true));
            }
            String id = retention.pollFirstEntry().getValue();
            MessageRecord record = past.remove(id);
            if (record != null) {
                byClientId.remove(new ClientKey(record.businessId(), record.clientMessageId()), id);
                purged++;
            }
        }
        return completedFuture(new Purged(purged, false));
    }

    @Override
    public synchronized CompletableFuture<List<QueuedMessage>> erase(PhoneNumber recipient) {
        TreeMap<Place, Entry> queue = queues.remove(recipient);
        List<QueuedMessage> removed = new ArrayList<>();
        if (queue != null) {
            for (Entry entry : queue.values()) {
                QueuedMessage message = entry.message;
                removed.add(message);
                byId.remove(message.messageId());
                byClientId.remove(new ClientKey(message.businessId(), message.clientMessageId()), message.messageId());
                forgetExpiry(entry);
            }
        }
        past.values().removeIf(record -> {
            if (!record.recipient().equals(recipient)) {
                return false;
            }
            byClientId.remove(new ClientKey(record.businessId(), record.clientMessageId()), record.messageId());
            return true;
        });
        return completedFuture(removed);
    }
}
