package org.optline.core.limit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.optline.core.queue.Accepted;
import org.optline.core.queue.DeliveryLog;
import org.optline.core.recipient.PhoneNumber;

/**
 * The anti-spam records in the heap: for the in-memory engine and tests. Nothing survives a
 * restart and the heap grows with the traffic of the windows, as everything does in the
 * in-memory mode; what a window no longer needs is forgotten as in the durable store. One lock:
 * the in-memory mode is not for sustained load.
 */
public final class HeapLimitStore implements LimitStore {
    private static final class Contacts {
        final Map<PhoneNumber, Long> last = new HashMap<>();
        final TreeSet<Contact> index = new TreeSet<>(Contact.ORDER);
    }

    private final Map<String, Contacts> byBusiness = new HashMap<>();
    private final Map<PhoneNumber, List<MarketingSend>> marketing = new HashMap<>();

    /**
     * A delivery log that records each appended message's counts here once the append completed,
     * as a durable engine writes them with the message.
     */
    public DeliveryLog recording(DeliveryLog log) {
        return accepted -> log.append(accepted).thenRun(() -> {
            for (Accepted each : accepted) {
                record(each.counts());
            }
        });
    }

    /** Keeps what a message counted. */
    public synchronized void record(AntiSpamCounts counts) {
        if (counts.hasContact()) {
            Contacts contacts = byBusiness.computeIfAbsent(counts.businessId(), id -> new Contacts());
            contacts.last.merge(counts.recipient(), counts.contactAtMillis(), Math::max);
            contacts.index.add(new Contact(counts.recipient(), counts.contactAtMillis()));
            if (counts.replacedContactAtMillis() > 0) {
                contacts.index.remove(new Contact(counts.recipient(), counts.replacedContactAtMillis()));
            }
        }
        if (counts.marketing() != null) {
            marketing.computeIfAbsent(counts.recipient(), r -> new ArrayList<>()).add(counts.marketing());
        }
    }

    /** Takes back what {@link #record} kept, for a message that was not queued after all. */
    public synchronized void unrecord(AntiSpamCounts counts) {
        if (counts.hasContact()) {
            Contacts contacts = byBusiness.get(counts.businessId());
            if (contacts != null) {
                contacts.index.remove(new Contact(counts.recipient(), counts.contactAtMillis()));
                Long last = contacts.last.get(counts.recipient());
                if (last != null && last == counts.contactAtMillis()) {
                    if (counts.replacedContactAtMillis() > 0) {
                        contacts.last.put(counts.recipient(), counts.replacedContactAtMillis());
                        contacts.index.add(new Contact(counts.recipient(), counts.replacedContactAtMillis()));
                    } else {
                        contacts.last.remove(counts.recipient());
                    }
                }
            }
        }
        if (counts.marketing() != null) {
            List<MarketingSend> sends = marketing.get(counts.recipient());
            if (sends != null) {
                sends.remove(counts.marketing());
            }
        }
    }

    @Override
    public synchronized long lastContact(String businessId, PhoneNumber recipient) {
        Contacts contacts = byBusiness.get(businessId);
        Long last = contacts == null ? null : contacts.last.get(recipient);
        return last == null ? 0 : last;
    }

    @Override
    public synchronized List<Contact> contacts(String businessId, Contact after, long upToMillis, int max) {
        List<Contact> found = new ArrayList<>();
        Contacts contacts = byBusiness.get(businessId);
        if (contacts == null) {
            return found;
        }
        for (Contact contact : after == null ? contacts.index : contacts.index.tailSet(after, false)) {
            if (contact.atMillis() > upToMillis || found.size() == max) {
                break;
            }
            found.add(contact);
        }
        return found;
    }

    @Override
    public synchronized Contact nextContact(String businessId, Contact after) {
        Contacts contacts = byBusiness.get(businessId);
        if (contacts == null || contacts.index.isEmpty()) {
            return null;
        }
        return after == null ? contacts.index.first() : contacts.index.higher(after);
    }

    @Override
    public synchronized ContactCounts countContacts(String businessId, long windowStartMillis, long reachStartMillis) {
        Contacts contacts = byBusiness.get(businessId);
        long inWindow = 0;
        long inReach = 0;
        if (contacts != null) {
            for (long last : contacts.last.values()) {
                inWindow += last > windowStartMillis ? 1 : 0;
                inReach += last > reachStartMillis ? 1 : 0;
            }
        }
        return new ContactCounts(inWindow, inReach);
    }

    @Override
    public synchronized List<MarketingSend> marketing(PhoneNumber recipient, long afterMillis) {
        List<MarketingSend> found = new ArrayList<>();
        for (MarketingSend send : marketing.getOrDefault(recipient, List.of())) {
            if (send.atMillis() > afterMillis) {
                found.add(send);
            }
        }
        return found;
    }

    @Override
    public synchronized CompletableFuture<Void> forget(String businessId, List<Contact> passed) {
        Contacts contacts = byBusiness.get(businessId);
        if (contacts != null) {
            for (Contact contact : passed) {
                contacts.index.remove(contact);
                contacts.last.remove(contact.recipient(), contact.atMillis());
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<Integer> sweepMarketing(long upToMillis, int max) {
        int removed = 0;
        for (Iterator<List<MarketingSend>> lists = marketing.values().iterator(); lists.hasNext() && removed < max; ) {
            List<MarketingSend> sends = lists.next();
            int before = sends.size();
            sends.removeIf(send -> send.atMillis() <= upToMillis);
            removed += before - sends.size();
            if (sends.isEmpty()) {
                lists.remove();
            }
        }
        return CompletableFuture.completedFuture(removed);
    }
}
