package org.optline.storage.kafka;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.optline.core.inbox.Arrivals;
import org.optline.core.recipient.PhoneNumber;

/**
 * Wakes long-polls and push subscriptions on a node that does not own their recipient's
 * partition: messages arrive (are appended, or come back from a lease) at the owner, so a node
 * whose readers wait for a recipient tells the owner it is interested, every second while they
 * wait, and the owner tells it of each arrival. An interest not renewed lapses after
 * {@link #INTEREST_NANOS}, so a node that died or whose readers left costs the owner nothing for
 * long; a new owner learns the interests within a second of the move (and answers each new one
 * with an arrival, in case messages came while nobody was told).
 */
final class RemoteArrivals implements Arrivals.Watch {
    /** Three renewals missed. */
    static final long INTEREST_NANOS = 3_500_000_000L;
    private static final long RENEW_MILLIS = 1_000;
    /** Arrivals for one node are sent together at most this often: one request for a burst. */
    private static final long FLUSH_MILLIS = 10;

    private final KafkaDelivery delivery;
    private final NodeDirectory directory;
    private final Arrivals arrivals;
    /** Recipients someone here waits for. */
    private final Set<PhoneNumber> watched = ConcurrentHashMap.newKeySet();
    /** As an owner: who is interested in each recipient, until when. */
    private final Map<PhoneNumber, Map<String, Long>> interested = new ConcurrentHashMap<>();
    /** As an owner: arrivals to tell each node at the next flush. */
    private final Map<String, Set<PhoneNumber>> toTell = new ConcurrentHashMap<>();
    private Peers peers;

    RemoteArrivals(KafkaDelivery delivery, NodeDirectory directory, Arrivals arrivals) {
        this.delivery = delivery;
        this.directory = directory;
        this.arrivals = arrivals;
    }

    void start(Peers connected, ScheduledExecutorService timer) {
        this.peers = connected;
        timer.scheduleWithFixedDelay(this::renew, RENEW_MILLIS, RENEW_MILLIS, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::flush, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void started(PhoneNumber recipient) {
        watched.add(recipient);
        if (peers != null && !delivery.ownsRecipient(recipient)) {
            interest(List.of(recipient));
        }
    }

    @Override
    public void stopped(PhoneNumber recipient) {
        watched.remove(recipient);
    }

    /** Tells the owners of the watched recipients, except this node, that this node still listens. */
    private void renew() {
        List<PhoneNumber> remote = new ArrayList<>();
        for (PhoneNumber recipient : watched) {
            if (!delivery.ownsRecipient(recipient)) {
                remote.add(recipient);
            }
        }
        if (!remote.isEmpty()) {
            interest(remote);
        }
        long now = System.nanoTime();
        interested.values().forEach(nodes -> nodes.values().removeIf(until -> until < now));
        interested.values().removeIf(Map::isEmpty);
    }

    private void interest(List<PhoneNumber> recipients) {
        Map<String, List<PhoneNumber>> byOwner = new HashMap<>();
        for (PhoneNumber recipient : recipients) {
            directory.owner(delivery.partitionOf(recipient)).ifPresent(node ->
                    byOwner.computeIfAbsent(node.peerAddress(), a -> new ArrayList<>()).add(recipient));
        }
        byOwner.forEach((owner, mine) -> {
            if (!owner.equals(peers.address())) {
                peers.call(owner, KafkaDelivery.interestRequest(peers.address(), mine)).exceptionally(failure -> null);
            }
        });
    }

    /** A node is interested in these recipients (of partitions this node owns). */
    void interested(String node, List<PhoneNumber> recipients) {
        long until = System.nanoTime() + INTEREST_NANOS;
        for (PhoneNumber recipient : recipients) {
            Long before = interested.computeIfAbsent(recipient, r -> new ConcurrentHashMap<>()).put(node, until);
            if (before == null) {
                // Messages may have arrived before anyone here knew of the interest.
                toTell.computeIfAbsent(node, n -> ConcurrentHashMap.newKeySet()).add(recipient);
            }
        }
    }

    /** An arrival here: queued for the nodes interested, when this node owns the recipient. */
    void arrivedHere(PhoneNumber recipient) {
        Map<String, Long> nodes = interested.get(recipient);
        if (nodes == null || !delivery.ownsRecipient(recipient)) {
            return;
        }
        long now = System.nanoTime();
        nodes.forEach((node, until) -> {
            if (until >= now) {
                toTell.computeIfAbsent(node, n -> ConcurrentHashMap.newKeySet()).add(recipient);
            }
        });
    }

    private void flush() {
        for (String node : List.copyOf(toTell.keySet())) {
            Set<PhoneNumber> recipients = toTell.remove(node);
            if (recipients != null && !recipients.isEmpty()) {
                peers.call(node, KafkaDelivery.arrivedRequest(List.copyOf(recipients))).exceptionally(failure -> null);
            }
        }
    }

    /** The owner told this node of arrivals: its waiting readers look now. */
    void told(List<PhoneNumber> recipients) {
        recipients.forEach(arrivals::arrived);
    }
}
