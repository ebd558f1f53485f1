package org.optline.core.limit;

import com.github.benmanes.caffeine.cache.Cache;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.optline.core.business.Business;
import org.optline.core.business.Tier;
import org.optline.core.concurrent.Caches;
import org.optline.core.message.Category;
import org.optline.core.message.Reason;
import org.optline.core.recipient.PhoneNumber;

/**
 * The limits that hold spam back once a message is allowed by consent: a paused business's
 * marketing is refused, a business reaches at most its tier of unique recipients per rolling
 * window, the same marketing text goes to a person at most once per window from one business,
 * and a person gets at most so many offers per window from everyone and from one business.
 *
 * <p>The windows are kept by a {@link LimitStore} (on disk with the durable engine), and what a
 * message counts is written with the message itself ({@link AntiSpamCounts}), so a restart or a
 * {@code kill -9} keeps exactly the counts of the messages that were acknowledged. In front of
 * the store sit two bounded caches (a business's last contact with a recipient; a recipient's
 * marketing messages) and, per business, two numbers: the recipients it reached within the
 * tier's window and within the longer reach window of a tier upgrade. The heap therefore grows
 * with the number of businesses, not of recipients. A contact leaves a count exactly when its
 * window passes it: the business's contacts are read back from the store's time index, in time
 * order, as they leave.
 *
 * <p>A message counts from the moment it passes until its append either becomes durable
 * ({@link Verdict#settle()}) or fails ({@link Verdict#release()}, which takes the counts back).
 * Until then its cache entries are pinned: the caches never drop a count the store does not hold yet.
 */
public final class AntiSpamLimits {
    /** Contacts read from the store at a time when the oldest leave a window. */
    private static final int CURSOR_BATCH = 512;
    /**
     * Old marketing records forgotten per {@link #tick()}: at one tick a second, 36 million an
     * hour, far above any day's marketing, in slices short enough not to hold a store thread long.
     */
    static final int SWEEP_BATCH = 10_000;
    /** What a contact time is kept to ({@link #contactTime}). */
    public static final Duration CONTACT_GRANULE = Duration.ofMinutes(1);

    private final AntiSpamPolicy policy;
    private final InstantSource clock;
    private final LimitStore store;
    private final Standings standings;
    private final HeapLimitStore recordsItself;
    private final long windowMillis;
    private final long reachMillis;
    private final Cache<ContactKey, ContactEntry> contacts;
    private final Cache<PhoneNumber, MarketingEntry> marketing;
    private final Map<String, Reach> reaches = new ConcurrentHashMap<>();

    private record ContactKey(String businessId, PhoneNumber recipient) {}

    /** An entry that may not leave its cache while a count in it is not yet durable. */
    private abstract static class Pinnable {
        /** Guarded by the cache's per-key compute. */
        int pins;
    }

    /** A business's last contact with a recipient; {@code lastContact} guarded by the business's {@link Reach}. */
    private static final class ContactEntry extends Pinnable {
        long lastContact;
        /** The verdict that set {@code lastContact}, so that only it takes the contact back. */
        Object setBy;

        ContactEntry(long lastContact) {
            this.lastContact = lastContact;
        }
    }

    /** A recipient's marketing messages within the window, oldest first; guarded by itself. */
    private static final class MarketingEntry extends Pinnable {
        final ArrayList<MarketingSend> sends;

        MarketingEntry(List<MarketingSend> sends) {
            this.sends = new ArrayList<>(sends);
        }
    }

    /**
     * Limits whose windows live only in this object, counted as messages pass: for tests and for
     * benchmarks of the stages alone, where no delivery log writes the counts.
     */
    public AntiSpamLimits(AntiSpamPolicy policy, InstantSource clock) {
        this(policy, clock, new HeapLimitStore(), Standings.CONFIGURED, true);
    }

    /**
     * Limits on a store that the delivery log writes the counts to, for businesses that stand as
     * {@code standings} say.
     */
    public AntiSpamLimits(AntiSpamPolicy policy, InstantSource clock, LimitStore store, Standings standings) {
        this(policy, clock, store, standings, false);
    }

    private AntiSpamLimits(AntiSpamPolicy policy, InstantSource clock, LimitStore store, Standings standings,
                           boolean recordsItself) {
        this.policy = policy;
        this.clock = clock;
        this.store = store;
        this.standings = standings;
        this.recordsItself = recordsItself ? (HeapLimitStore) store : null;
        this.windowMillis = policy.window().toMillis();
        this.reachMillis = Math.max(windowMillis, AntiSpamPolicy.REACH_WINDOW.toMillis());
        this.contacts = Caches.onCallingThread().maximumWeight(policy.trackedRecipients())
                .weigher((ContactKey key, ContactEntry entry) -> entry.pins > 0 ? 0 : 1).build();
        this.marketing = Caches.onCallingThread().maximumWeight(policy.trackedRecipients())
                .weigher((PhoneNumber key, MarketingEntry entry) -> entry.pins > 0 ? 0 : 1).build();
    }

    public AntiSpamPolicy policy() {
        return policy;
    }

    /** The window of a tier upgrade's reach, as long as the tier's window at least. */
    public Duration reachWindow() {
        return Duration.ofMillis(reachMillis);
    }

    /**
     * What the limits decided about one message: a refusal, or a pass that has been counted, to be
     * written with the message ({@link #counts()}) and then settled, or taken back with
     * {@link #release()} if the message is not queued after all.
     */
    public static final class Verdict {
        private static final Runnable NOTHING = () -> {};
        private static final Verdict PASSED_UNCOUNTED = new Verdict(null, AntiSpamCounts.NONE, NOTHING, NOTHING);
        private final Reason refusal;
        private final AntiSpamCounts counts;
        private final Runnable settle;
        private final Runnable release;
        private final AtomicBoolean done = new AtomicBoolean();

        private Verdict(Reason refusal, AntiSpamCounts counts, Runnable settle, Runnable release) {
            this.refusal = refusal;
            this.counts = counts;
            this.settle = settle;
            this.release = release;
        }

        static Verdict refused(Reason reason) {
            return new Verdict(reason, AntiSpamCounts.NONE, NOTHING, NOTHING);
        }

        /** Empty when the message passes every limit. */
        public Optional<Reason> refusal() {
            return Optional.ofNullable(refusal);
        }

        /** What the message counted, to be stored with it. */
        public AntiSpamCounts counts() {
            return counts;
        }

        /** The message is stored with its counts: its windows may leave memory now, the store has them. */
        public void settle() {
            // Most messages count nowhere (alerts of an unlimited tier): their shared verdict has
            // nothing to do. One that counts nothing new may still hold pins to give back.
            if (settle == NOTHING) {
                return;
            }
            if (done.compareAndSet(false, true)) {
                settle.run();
            }
        }

        /**
         * Un-counts a message that passed but was not queued (OVERLOADED), so that its retry
         * is not refused as a duplicate or capped by itself.
         */
        public void release() {
            if (release == NOTHING) {
                return;
            }
            if (done.compareAndSet(false, true)) {
                release.run();
            }
        }
    }

    /**
     * Checks one message and, when it passes every limit, counts it against them all. A refused
     * message counts nowhere. Runs on the admission pool; may read the store on a cache miss.
     */
    public Verdict admit(Business business, PhoneNumber recipient, Category category, String text) {
        boolean isMarketing = category == Category.MARKETING;
        long now = clock.millis();
        if (isMarketing && standings.marketingPaused(business, now)) {
            return Verdict.refused(Reason.BUSINESS_PAUSED);
        }
        Tier tier = standings.tier(business);
        boolean countsTier = !tier.isUnlimited();
        if (!countsTier && !isMarketing) {
            return Verdict.PASSED_UNCOUNTED;
        }
        ContactKey contactKey = countsTier ? new ContactKey(business.id(), recipient) : null;
        ContactEntry contact = null;
        MarketingEntry sends = null;
        Verdict verdict;
        try {
            contact = countsTier ? pin(contacts, contactKey, this::loadContact) : null;
            sends = isMarketing ? pin(marketing, recipient, r -> loadMarketing(r, now)) : null;
            verdict = countsTier
                    ? decideWithTier(business.id(), tier, recipient, contactKey, contact, sends, now, text)
                    : decideMarketing(business.id(), recipient, sends, now, text);
        } catch (RuntimeException e) {
            unpinBoth(contactKey, contact, recipient, sends);
            throw e;
        }
        if (verdict.refusal != null) {
            unpinBoth(contactKey, contact, recipient, sends);
        } else if (recordsItself != null) {
            recordsItself.record(verdict.counts);
        }
        return verdict;
    }

    private Verdict decideWithTier(String businessId, Tier tier, PhoneNumber recipient, ContactKey contactKey,
                                   ContactEntry contact, MarketingEntry sends, long now, String text) {
        Reach reach = reach(businessId, now);
        long contactAt = contactTime(now);
        synchronized (reach) {
            reach.advance(now);
            long previous = contact.lastContact;
            boolean wasInWindow = previous > now - windowMillis;
            boolean wasInReach = previous > now - reachMillis;
            if (!wasInWindow && reach.inWindow >= tier.uniqueRecipientsPerDay()) {
                return Verdict.refused(Reason.TIER_LIMIT_REACHED);
            }
            MarketingSend send = null;
            if (sends != null) {
                Object decided = countMarketing(businessId, sends, now, text);
                if (decided instanceof Reason refusal) {
                    return Verdict.refused(refusal);
                }
                send = (MarketingSend) decided;
            }
            if (previous == contactAt && contact.pins == 1) {
                // Counted to the end of this minute already, by a message that is durable (no
                // other one holds the entry): nothing to count again, nothing to write.
                AntiSpamCounts counts = new AntiSpamCounts(businessId, recipient, 0, 0, send);
                MarketingEntry countedSends = sends;
                MarketingSend countedSend = send;
                return new Verdict(null, counts,
                        () -> unpinBoth(contactKey, contact, recipient, countedSends),
                        () -> {
                            takeBack(countedSends, countedSend, counts);
                            unpinBoth(contactKey, contact, recipient, countedSends);
                        });
            }
            if (!wasInWindow) {
                reach.inWindow++;
            }
            if (!wasInReach) {
                reach.inReach++;
            }
            Object owner = new Object();
            contact.lastContact = contactAt;
            contact.setBy = owner;
            reach.counted(contactAt);
            AntiSpamCounts counts = new AntiSpamCounts(businessId, recipient, contactAt,
                    previous == contactAt ? 0 : previous, send);
            MarketingEntry countedSends = sends;
            MarketingSend countedSend = send;
            return new Verdict(null, counts,
                    () -> unpinBoth(contactKey, contact, recipient, countedSends),
                    () -> {
                        synchronized (reach) {
                            if (contact.setBy == owner) {
                                // Still the latest contact: the recipient is as it was before it.
                                contact.lastContact = previous;
                                contact.setBy = null;
                                reach.inWindow -= wasInWindow ? 0 : 1;
                                reach.inReach -= wasInReach ? 0 : 1;
                            }
                            // Otherwise a later message to the recipient counted on top of this one
                            // and keeps the recipient counted once.
                        }
                        takeBack(countedSends, countedSend, counts);
                        unpinBoth(contactKey, contact, recipient, countedSends);
                    });
        }
    }

    /**
     * The time a contact at {@code now} is kept as: the end of its minute. A recipient then stays
     * in the business's window up to a minute longer than the window (never shorter, so the tier
     * is never exceeded), and further messages to the recipient within that minute count nothing
     * new and write nothing: three fewer writes to the store for each (the contact, and its
     * entry in the time index, moved), which on the store writer are three searches of a large
     * skip list (docs/benchmarks.md, "What changed in this round").
     */
    static long contactTime(long now) {
        long granule = CONTACT_GRANULE.toMillis();
        return Math.floorDiv(now + granule - 1, granule) * granule;
    }

    private Verdict decideMarketing(String businessId, PhoneNumber recipient, MarketingEntry sends, long now,
                                    String text) {
        Object decided = countMarketing(businessId, sends, now, text);
        if (decided instanceof Reason refusal) {
            return Verdict.refused(refusal);
        }
        MarketingSend send = (MarketingSend) decided;
        AntiSpamCounts counts = new AntiSpamCounts(businessId, recipient, 0, 0, send);
        return new Verdict(null, counts, () -> unpin(marketing, recipient, sends), () -> {
            takeBack(sends, send, counts);
            unpin(marketing, recipient, sends);
        });
    }

    /** Refuses a duplicate or a capped offer, or counts it; answers the refusal or the send counted. */
    private Object countMarketing(String businessId, MarketingEntry entry, long now, String text) {
        long textHash = fnv1a64(text);
        synchronized (entry) {
            entry.sends.removeIf(send -> send.atMillis() <= now - windowMillis);
            int fromBusiness = 0;
            for (MarketingSend send : entry.sends) {
                if (send.businessId().equals(businessId)) {
                    if (send.textHash() == textHash) {
                        return Reason.DUPLICATE_CONTENT;
                    }
                    fromBusiness++;
                }
            }
            if (entry.sends.size() >= policy.marketingPerRecipient()
                    || fromBusiness >= policy.marketingPerRecipientPerBusiness()) {
                return Reason.FREQUENCY_CAPPED;
            }
            MarketingSend send = new MarketingSend(businessId, now, textHash);
            entry.sends.add(send);
            return send;
        }
    }

    private void takeBack(MarketingEntry sends, MarketingSend send, AntiSpamCounts counts) {
        if (sends != null && send != null) {
            synchronized (sends) {
                sends.sends.remove(send);
            }
        }
        if (recordsItself != null) {
            recordsItself.unrecord(counts);
        }
    }

    private ContactEntry loadContact(ContactKey key) {
        return new ContactEntry(store.lastContact(key.businessId(), key.recipient()));
    }

    private MarketingEntry loadMarketing(PhoneNumber recipient, long now) {
        return new MarketingEntry(store.marketing(recipient, now - windowMillis));
    }

    private static <K, V extends Pinnable> V pin(Cache<K, V> cache, K key, Function<K, V> loader) {
        return cache.asMap().compute(key, (k, present) -> {
            V entry = present != null ? present : loader.apply(k);
            entry.pins++;
            return entry;
        });
    }

    private static <K, V extends Pinnable> void unpin(Cache<K, V> cache, K key, V entry) {
        if (entry == null) {
            return;
        }
        // A pinned entry is never evicted, so it is the one in the cache; re-weighing it lets it go.
        cache.asMap().computeIfPresent(key, (k, present) -> {
            present.pins--;
            return present;
        });
    }

    private void unpinBoth(ContactKey contactKey, ContactEntry contact, PhoneNumber recipient, MarketingEntry sends) {
        unpin(contacts, contactKey, contact);
        unpin(marketing, recipient, sends);
    }

    /** The business's counts, made (from the store) when first needed. */
    private Reach reach(String businessId, long now) {
        Reach reach = reaches.get(businessId);
        return reach != null ? reach : reaches.computeIfAbsent(businessId, id -> new Reach(id, now));
    }

    /**
     * Counts the businesses' reach now rather than at their first message: a node that starts
     * reads each one's contacts of the reach window (a scan of its last-contact records).
     */
    public void track(Collection<String> businessIds) {
        long now = clock.millis();
        for (String businessId : businessIds) {
            reach(businessId, now);
        }
    }

    /** The recipients a business reached within the tier's window and within the reach window, now. */
    public ContactCounts reached(String businessId) {
        long now = clock.millis();
        Reach reach = reach(businessId, now);
        synchronized (reach) {
            reach.advance(now);
            return new ContactCounts(reach.inWindow, reach.inReach);
        }
    }

    /**
     * Periodic work, on a store thread: contacts that left their windows are uncounted (and those
     * that left the reach window forgotten) even for a business that sends nothing, and a slice of
     * old marketing records is forgotten.
     */
    public CompletableFuture<Integer> tick() {
        long now = clock.millis();
        for (Reach reach : reaches.values()) {
            synchronized (reach) {
                reach.advance(now);
            }
        }
        return store.sweepMarketing(now - windowMillis, SWEEP_BATCH);
    }

    /** A recipient's marketing budget now: what every business together, and each one, may still send. */
    public MarketingBudget budget(PhoneNumber recipient) {
        long now = clock.millis();
        List<MarketingSend> sends;
        MarketingEntry cached = marketing.getIfPresent(recipient);
        if (cached != null) {
            synchronized (cached) {
                sends = new ArrayList<>(cached.sends);
            }
        } else {
            sends = store.marketing(recipient, now - windowMillis);
        }
        sends.removeIf(send -> send.atMillis() <= now - windowMillis);
        Map<String, List<Long>> byBusiness = new LinkedHashMap<>();
        for (MarketingSend send : sends) {
            byBusiness.computeIfAbsent(send.businessId(), id -> new ArrayList<>()).add(send.atMillis());
        }
        List<MarketingBudget.FromBusiness> businesses = new ArrayList<>();
        for (Map.Entry<String, List<Long>> entry : byBusiness.entrySet()) {
            businesses.add(new MarketingBudget.FromBusiness(entry.getKey(), entry.getValue().size(),
                    entry.getValue().get(0) + windowMillis));
        }
        long firstFree = sends.isEmpty() ? 0 : sends.get(0).atMillis() + windowMillis;
        return new MarketingBudget(policy.marketingPerRecipient(), policy.marketingPerRecipientPerBusiness(),
                policy.window(), sends.size(), firstFree, businesses);
    }

    /**
     * A business's unique recipients within the tier's window and the reach window, with a cursor
     * per window over the store's time index of its contacts. Guarded by itself.
     */
    private final class Reach {
        final String businessId;
        long inWindow;
        long inReach;
        final Cursor window;
        final Cursor reachCursor;

        Reach(String businessId, long now) {
            this.businessId = businessId;
            ContactCounts counts = store.countContacts(businessId, now - windowMillis, now - reachMillis);
            this.inWindow = counts.inWindow();
            this.inReach = counts.inReach();
            // Everything up to the window's start was not counted in it; the reach cursor starts at
            // the first contact kept, so that it forgets what is older than the reach window too.
            this.window = new Cursor(windowMillis, false, now - windowMillis, Contact.after(now - windowMillis));
            this.reachCursor = new Cursor(reachMillis, true, now - reachMillis, null);
        }

        /** A contact was counted at {@code atMillis}: it leaves the windows one day, which the cursors must see. */
        void counted(long atMillis) {
            window.nextDue = Math.min(window.nextDue, atMillis);
            reachCursor.nextDue = Math.min(reachCursor.nextDue, atMillis);
        }

        void advance(long now) {
            inWindow -= window.advance(this, now);
            inReach -= reachCursor.advance(this, now);
        }

        /** True when {@code contact} is still the business's last contact with its recipient. */
        boolean isLast(Contact contact) {
            ContactEntry entry = contacts.getIfPresent(new ContactKey(businessId, contact.recipient()));
            long last = entry != null ? entry.lastContact : store.lastContact(businessId, contact.recipient());
            return last == contact.atMillis();
        }
    }

    /** Walks a business's contacts in time order as they leave one window. */
    private final class Cursor {
        final long length;
        final boolean forgets;
        /** Contacts at or before this were never counted in this window (older than the node's start). */
        final long countedAfter;
        Contact position;
        /** The time of the first contact after the position; past it nothing is due. */
        long nextDue;

        Cursor(long length, boolean forgets, long countedAfter, Contact position) {
            this.length = length;
            this.forgets = forgets;
            this.countedAfter = countedAfter;
            this.position = position;
            this.nextDue = Long.MIN_VALUE;
        }

        /** Moves past the contacts that left the window by {@code now}; answers how many recipients left it. */
        long advance(Reach reach, long now) {
            long limit = now - length;
            long left = 0;
            while (nextDue <= limit) {
                List<Contact> due = store.contacts(reach.businessId, position, limit, CURSOR_BATCH);
                for (Contact contact : due) {
                    position = contact;
                    if (contact.atMillis() > countedAfter && reach.isLast(contact)) {
                        left++;
                    }
                }
                if (forgets && !due.isEmpty()) {
                    // Not waited for: a lost forget only leaves a record for the next start to skip.
                    store.forget(reach.businessId, due);
                }
                if (due.size() < CURSOR_BATCH) {
                    // Only what was due is read, so nothing written later can land behind the position.
                    Contact next = store.nextContact(reach.businessId, position);
                    nextDue = next == null ? Long.MAX_VALUE : next.atMillis();
                }
            }
            return left;
        }
    }

    /** A stable 64-bit hash of a text, so that the limits keep no text. */
    static long fnv1a64(String text) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    /** For tests: the cached contact and marketing entries (pinned or not). */
    long cachedEntries() {
        contacts.cleanUp();
        marketing.cleanUp();
        return contacts.estimatedSize() + marketing.estimatedSize();
    }
}
