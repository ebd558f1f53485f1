package org.optline.core.limit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import org.optline.core.time.EpochNanos;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.optline.core.business.Business;
import org.optline.core.business.Quality;
import org.optline.core.message.Category;
import org.optline.core.message.Reason;
import org.optline.core.recipient.PhoneNumber;

/**
 * The limits that hold spam back once a message is allowed by consent: a RED business's
 * marketing is paused, a business reaches at most its tier of unique recipients per rolling
 * window, the same marketing text goes to a person at most once per window, and a person gets
 * at most so many offers per window from everyone and from one business.
 *
 * <p>This first version keeps its windows in memory (bounded; see {@link AntiSpamPolicy}), so a
 * restart forgets them. A message counts against the limits when it passes them.
 */
public final class AntiSpamLimits {
    private final AntiSpamPolicy policy;
    private final InstantSource clock;
    private final Map<String, UniqueRecipients> tiers = new ConcurrentHashMap<>();
    private final Cache<PhoneNumber, ArrayDeque<Instant>> marketingByRecipient;
    private final Cache<RecipientOfBusiness, ArrayDeque<Instant>> marketingByBusiness;
    private final Cache<ContentKey, Boolean> recentMarketingTexts;

    private record RecipientOfBusiness(PhoneNumber recipient, String businessId) {}

    /** Per business too: one business must not learn what another sent by probing for duplicates. */
    private record ContentKey(PhoneNumber recipient, String businessId, long textHash) {}

    public AntiSpamLimits(AntiSpamPolicy policy, InstantSource clock) {
        this.policy = policy;
        this.clock = clock;
        Ticker ticker = EpochNanos.ticker(clock);
        this.marketingByRecipient = Caffeine.newBuilder().ticker(ticker)
                .expireAfterAccess(policy.window()).maximumSize(policy.trackedRecipients()).build();
        this.marketingByBusiness = Caffeine.newBuilder().ticker(ticker)
                .expireAfterAccess(policy.window()).maximumSize(policy.trackedRecipients()).build();
        this.recentMarketingTexts = Caffeine.newBuilder().ticker(ticker)
                .expireAfterWrite(policy.window()).maximumSize(policy.trackedRecipients()).build();
    }

    /**
     * What the limits decided about one message: a refusal, or a pass that has been counted and
     * can be taken back with {@link #release()} if the message is not queued after all.
     */
    public static final class Verdict {
        private static final Verdict PASSED_UNCOUNTED = new Verdict(null, () -> {});
        private final Reason refusal;
        private final Runnable release;

        private Verdict(Reason refusal, Runnable release) {
            this.refusal = refusal;
            this.release = release;
        }

        static Verdict refused(Reason reason) {
            return new Verdict(reason, () -> {});
        }

        /** Empty when the message passes every limit. */
        public Optional<Reason> refusal() {
            return Optional.ofNullable(refusal);
        }

        /**
         * Un-counts a message that passed but was not queued (OVERLOADED), so that its retry
         * is not refused as a duplicate or capped by itself.
         */
        public void release() {
            release.run();
        }
    }

    /**
     * Checks one message and, when it passes every limit, counts it against them all. A refused
     * message counts nowhere.
     */
    public Verdict admit(Business business, PhoneNumber recipient, Category category, String text) {
        boolean marketing = category == Category.MARKETING;
        if (marketing && business.quality() == Quality.RED) {
            return Verdict.refused(Reason.BUSINESS_PAUSED);
        }
        Instant now = clock.instant();
        Instant windowStart = now.minus(policy.window());
        if (business.tier().isUnlimited()) {
            return marketing ? admitMarketing(business, recipient, text, now, windowStart) : Verdict.PASSED_UNCOUNTED;
        }
        UniqueRecipients reached = tiers.computeIfAbsent(business.id(), id -> new UniqueRecipients());
        synchronized (reached) {
            if (!reached.hasRoomFor(recipient, windowStart, business.tier().uniqueRecipientsPerDay())) {
                return Verdict.refused(Reason.TIER_LIMIT_REACHED);
            }
            Verdict verdict = marketing
                    ? admitMarketing(business, recipient, text, now, windowStart) : Verdict.PASSED_UNCOUNTED;
            if (verdict.refusal != null) {
                return verdict;
            }
            boolean newlyReached = reached.record(recipient, now);
            return new Verdict(null, () -> {
                verdict.release();
                if (newlyReached) {
                    synchronized (reached) {
                        reached.forget(recipient, now);
                    }
                }
            });
        }
    }

    private Verdict admitMarketing(Business business, PhoneNumber recipient, String text,
                                   Instant now, Instant windowStart) {
        ContentKey content = new ContentKey(recipient, business.id(), fnv1a64(text));
        RecipientOfBusiness perBusiness = new RecipientOfBusiness(recipient, business.id());
        // One lock for the marketing windows: they are shared across businesses and only
        // marketing messages, a minority of the traffic, take it.
        synchronized (marketingByRecipient) {
            if (recentMarketingTexts.getIfPresent(content) != null) {
                return Verdict.refused(Reason.DUPLICATE_CONTENT);
            }
            ArrayDeque<Instant> all = marketingByRecipient.get(recipient, r -> new ArrayDeque<>());
            ArrayDeque<Instant> fromBusiness = marketingByBusiness.get(perBusiness, r -> new ArrayDeque<>());
            dropOlderThan(all, windowStart);
            dropOlderThan(fromBusiness, windowStart);
            if (all.size() >= policy.marketingPerRecipient()
                    || fromBusiness.size() >= policy.marketingPerRecipientPerBusiness()) {
                return Verdict.refused(Reason.FREQUENCY_CAPPED);
            }
            recentMarketingTexts.put(content, Boolean.TRUE);
            all.addLast(now);
            fromBusiness.addLast(now);
            return new Verdict(null, () -> {
                synchronized (marketingByRecipient) {
                    recentMarketingTexts.asMap().remove(content, Boolean.TRUE);
                    all.removeLastOccurrence(now);
                    fromBusiness.removeLastOccurrence(now);
                }
            });
        }
    }

    private static void dropOlderThan(ArrayDeque<Instant> times, Instant windowStart) {
        while (!times.isEmpty() && !times.peekFirst().isAfter(windowStart)) {
            times.removeFirst();
        }
    }

    /** The recipients one business reached within the window, oldest contact first; guarded by itself. */
    private static final class UniqueRecipients {
        private final LinkedHashMap<PhoneNumber, Instant> lastContact = new LinkedHashMap<>();

        boolean hasRoomFor(PhoneNumber recipient, Instant windowStart, int limit) {
            Iterator<Instant> oldest = lastContact.values().iterator();
            while (oldest.hasNext() && !oldest.next().isAfter(windowStart)) {
                oldest.remove();
            }
            return lastContact.containsKey(recipient) || lastContact.size() < limit;
        }

        /** Counts a contact; true when the recipient was not reached within the window before. */
        boolean record(PhoneNumber recipient, Instant now) {
            boolean isNew = lastContact.remove(recipient) == null;
            lastContact.put(recipient, now);
            return isNew;
        }

        /** Takes back a first contact that was not made after all. */
        void forget(PhoneNumber recipient, Instant countedAt) {
            lastContact.remove(recipient, countedAt);
        }
    }

    private static long fnv1a64(String text) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }

}
