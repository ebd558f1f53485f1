package org.optline.core.quality;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.optline.core.business.Business;
import org.optline.core.business.BusinessDirectory;
import org.optline.core.business.Quality;
import org.optline.core.business.Tier;
import org.optline.core.delivery.DeliveryListener;
import org.optline.core.delivery.MessageState;
import org.optline.core.delivery.Transition;
import org.optline.core.erasure.Erasure;
import org.optline.core.limit.AntiSpamLimits;
import org.optline.core.limit.ContactCounts;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.storage.StoreExecutor;

/**
 * A business's quality, from the people who receive its messages, and what follows from it: the
 * rating over a rolling window ({@link QualityPolicy}), marketing paused at RED (3 hours, then 6,
 * then until an operator lifts it), a tier upgrade for a business that stays GREEN and used half
 * its tier within 7 days, and an event for every change, which the business reads.
 *
 * <p>The state machine, per business:
 * <ul>
 *   <li>A complaint is counted once (the store keeps a record of each); a positive signal (a read
 *       reported through the inbox, or POSITIVE feedback) is counted, and made durable at the
 *       next tick.
 *   <li>The rating is worked out after each complaint and at each tick (signals age out hour by
 *       hour). Returning to GREEN starts the pauses over.
 *   <li>While the rating is RED and marketing is not paused, a complaint made after the last pause
 *       ended starts the next pause: 3 h, 6 h, then held. A pause ends by itself at its time
 *       (admission compares with the clock; the tick records the event), a held one only by
 *       {@link #lift}. Complaints about messages sent before a pause do not extend it.
 *   <li>At a tick, a business whose rating has been GREEN for 7 days, whose tier has not changed
 *       for 7 days and that reached at least half its tier of unique recipients within 7 days
 *       moves up one tier (1 000 → 10 000 → 100 000 → unlimited). A business that is not GREEN,
 *       or that its configuration holds at YELLOW or RED, never moves up.
 * </ul>
 *
 * <p>Each business's changes are made under its own lock and stored (standing and events in one
 * atomic write) in the order they were made. Runs on the store threads (ticks, operator), the
 * store's writer (a complaint that became durable) and event loops (a read, only counted).
 */
public final class QualityService {
    private static final long HOUR = Duration.ofHours(1).toMillis();
    /** Old hourly counts and complaint records forgotten per tick. */
    static final int FORGET_BATCH = 10_000;

    private final QualityPolicy policy;
    private final BusinessStandings standings;
    private final AntiSpamLimits limits;
    private final QualityStore store;
    private final BusinessDirectory directory;
    private final StoreExecutor executor;
    private final InstantSource clock;
    private final byte[] secret;
    private final long windowMillis;
    private final long upgradeMillis;
    private final Map<String, Ledger> ledgers = new ConcurrentHashMap<>();

    /**
     * Loads each business's signals of the window from the store (once, when the node starts).
     *
     * @param secret the key of the hash under which a block is recorded, so that no number is kept
     */
    public QualityService(QualityPolicy policy, BusinessStandings standings, AntiSpamLimits limits, QualityStore store,
                          BusinessDirectory directory, StoreExecutor executor, InstantSource clock, byte[] secret) {
        this.policy = policy;
        this.standings = standings;
        this.limits = limits;
        this.store = store;
        this.directory = directory;
        this.executor = executor;
        this.clock = clock;
        this.secret = secret.clone();
        this.windowMillis = policy.window().toMillis();
        this.upgradeMillis = QualityPolicy.UPGRADE_WINDOW.toMillis();
        long now = clock.millis();
        for (Business business : directory.all()) {
            Ledger ledger = ledger(business.id());
            for (SignalCounts counts : store.counts(business.id(), now - windowMillis - HOUR).join()) {
                ledger.add(counts.hourMillis(), counts.spamReports(), counts.blocks(), counts.positives());
            }
        }
        // Feedback counted through other nodes that share the store (a no-op on an engine of one node).
        store.watch(new QualityStore.Signals() {
            @Override
            public void countedElsewhere(String businessId, long hourMillis, long spamReports, long blocks,
                                         long positives, long atMillis) {
                QualityService.this.countedElsewhere(businessId, hourMillis, spamReports, blocks, positives, atMillis);
            }

            @Override
            public void liftedElsewhere(String businessId, long atMillis) {
                Ledger ledger = ledger(businessId);
                synchronized (ledger) {
                    liftHere(ledger, clock.millis(), "on another node");
                }
            }
        });
    }

    /**
     * Feedback another node counted: it joins this node's ledger, and a complaint is weighed at once,
     * as if it had been made here, so that every node pauses a business on the same figures.
     */
    private void countedElsewhere(String businessId, long hourMillis, long spamReports, long blocks, long positives,
                                  long atMillis) {
        Ledger ledger = ledger(businessId);
        synchronized (ledger) {
            ledger.add(hourMillis, spamReports, blocks, positives);
            if (spamReports + blocks > 0) {
                ledger.lastComplaint = Math.max(ledger.lastComplaint, atMillis);
                evaluate(ledger, clock.millis(), false);
            }
        }
    }

    public QualityPolicy policy() {
        return policy;
    }

    /**
     * Counts a complaint about a business (once per kind and subject); completes, when durable
     * and counted, with true when it was new.
     */
    public CompletableFuture<Boolean> complaint(String businessId, FeedbackKind kind, String subject) {
        Instant at = clock.instant();
        return store.recordComplaint(businessId, kind, subject, at).thenApply(isNew -> {
            if (isNew) {
                Ledger ledger = ledger(businessId);
                synchronized (ledger) {
                    ledger.add(hourOf(at.toEpochMilli()), kind == FeedbackKind.SPAM_REPORT ? 1 : 0,
                            kind == FeedbackKind.BLOCK ? 1 : 0, 0);
                    ledger.lastComplaint = Math.max(ledger.lastComplaint, at.toEpochMilli());
                    evaluate(ledger, clock.millis(), false);
                }
            }
            return isNew;
        });
    }

    /** A recipient blocked a business (through the consent API or feedback): a complaint, once per recipient. */
    public CompletableFuture<Boolean> blocked(String businessId, PhoneNumber recipient) {
        return complaint(businessId, FeedbackKind.BLOCK, Erasure.id(secret, recipient));
    }

    /** Counts positive signals about a business; they become durable at the next tick. */
    public void positive(String businessId, long count) {
        Ledger ledger = ledger(businessId);
        long hour = hourOf(clock.millis());
        synchronized (ledger) {
            ledger.add(hour, 0, 0, count);
            ledger.unflushed.merge(hour, count, Long::sum);
        }
    }

    /** Counts the reads the delivery side reports as positive signals of their businesses. */
    public DeliveryListener readsAsPositive() {
        return new DeliveryListener() {
            @Override
            public void onTransitions(List<Transition> transitions) {
                for (Transition transition : transitions) {
                    if (transition.state() == MessageState.READ) {
                        positive(transition.businessId(), 1);
                    }
                }
            }
        };
    }

    /**
     * Periodic work, on a store thread: signals that left the window, positive signals made
     * durable, ratings, pauses that ended, tier upgrades; and a slice of old records forgotten.
     */
    public CompletableFuture<Integer> tick() {
        long now = clock.millis();
        for (Business business : directory.all()) {
            Ledger ledger = ledger(business.id());
            synchronized (ledger) {
                flushPositives(ledger);
                evaluate(ledger, now, true);
            }
        }
        return store.forget(now - windowMillis - HOUR, FORGET_BATCH);
    }

    /** What an operator's lift did. */
    public sealed interface Lifted {
        /** The pause was lifted: marketing flows from now on. */
        record Done(StandingView standing) implements Lifted {}

        /** Marketing was not paused: nothing changed. */
        record NotPaused(StandingView standing) implements Lifted {}

        record UnknownBusiness() implements Lifted {}
    }

    /**
     * An operator lifts a business's pause (held or timed): its marketing flows from the answer
     * on, and the pauses start over (the next RED pauses for 3 hours). Durable before the answer.
     */
    public CompletableFuture<Lifted> lift(String businessId) {
        Optional<Business> business = directory.byId(businessId);
        if (business.isEmpty()) {
            return CompletableFuture.completedFuture(new Lifted.UnknownBusiness());
        }
        return executor.call(() -> {
            long now = clock.millis();
            Ledger ledger = ledger(businessId);
            CompletableFuture<List<StandingEvent>> saved;
            synchronized (ledger) {
                evaluate(ledger, now, false);
                saved = liftHere(ledger, now, null);
                if (saved == null) {
                    return CompletableFuture.completedFuture(new Lifted.NotPaused(view(business.get(), now)));
                }
            }
            // Every node that shares the store keeps its own standing: each lifts the pause too.
            return saved.thenCompose(events -> store.lifted(businessId, now))
                    .thenApply(told -> new Lifted.Done(view(business.get(), clock.millis())));
        });
    }

    /**
     * Lifts the business's pause in this node's standing and stores it; null when it was not
     * paused. Holds the ledger's lock.
     */
    private CompletableFuture<List<StandingEvent>> liftHere(Ledger ledger, long now, String where) {
        String businessId = ledger.businessId;
        Standing s = standings.of(businessId);
        if (!s.pausedAt(now)) {
            return null;
        }
        Standing lifted = new Standing(businessId, s.tier(), s.rating(), 0, 0, s.lastComplaintMillis(), now,
                s.greenSinceMillis(), s.tierChangedMillis());
        StandingEvent event = new StandingEvent(0, businessId, Instant.ofEpochMilli(now),
                StandingEvent.Kind.MARKETING_RESUMED, null, null, null, null, s.pauses(), null,
                (s.held() ? "the held pause" : "the pause") + " was lifted by an operator"
                        + (where == null ? "" : " " + where) + "; the next pause is again "
                        + hours(QualityPolicy.FIRST_PAUSE));
        standings.put(lifted);
        return store.save(lifted, List.of(event));
    }

    /** Where the business stands now: tier and usage, rating and its figures, pause. */
    public CompletableFuture<Optional<StandingView>> standing(String businessId) {
        Optional<Business> business = directory.byId(businessId);
        if (business.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return executor.call(() -> CompletableFuture.completedFuture(Optional.of(view(business.get(), clock.millis()))));
    }

    /** Up to {@code max} of the business's events after sequence {@code after}, oldest first. */
    public CompletableFuture<List<StandingEvent>> events(String businessId, long after, int max) {
        return executor.call(() -> store.events(businessId, after, max));
    }

    private StandingView view(Business business, long now) {
        Ledger ledger = ledger(business.id());
        long spam;
        long blocks;
        long positives;
        synchronized (ledger) {
            ledger.roll(now);
            spam = ledger.spam;
            blocks = ledger.blocks;
            positives = ledger.positives;
        }
        Standing standing = standings.of(business.id());
        Tier tier = standings.tier(business);
        ContactCounts reached = tier.isUnlimited() ? new ContactCounts(0, 0) : limits.reached(business.id());
        Quality rating = standing.rating();
        Quality quality = business.quality().compareTo(rating) > 0 ? business.quality() : rating;
        boolean paused = standings.marketingPaused(business, now);
        Instant pausedUntil = standing.pausedAt(now) && !standing.held()
                ? Instant.ofEpochMilli(standing.pausedUntilMillis()) : null;
        return new StandingView(business.id(), tier, business.tier(), reached, limits.policy().window(),
                limits.reachWindow(), quality, rating, spam, blocks, positives, policy.window(), paused,
                pausedUntil, standing.pausedAt(now) && standing.held(), business.quality() == Quality.RED,
                standing.pauses());
    }

    private void flushPositives(Ledger ledger) {
        for (Map.Entry<Long, Long> hour : ledger.unflushed.entrySet()) {
            // Not waited for: a crash before it is durable loses at most a tick of positive signals.
            store.addPositives(ledger.businessId, hour.getKey(), hour.getValue());
        }
        ledger.unflushed.clear();
    }

    /** Works out the rating and what follows from it, stores any change. Holds the ledger's lock. */
    private void evaluate(Ledger ledger, long now, boolean reviewTier) {
        String businessId = ledger.businessId;
        ledger.roll(now);
        Standing s = standings.of(businessId);
        long complaints = ledger.spam + ledger.blocks;
        Quality rating = policy.rate(complaints, ledger.positives);
        List<StandingEvent> events = new ArrayList<>();
        Instant at = Instant.ofEpochMilli(now);
        int pauses = s.pauses();
        long pausedUntil = s.pausedUntilMillis();
        long pauseEnded = s.pauseEndedMillis();
        long greenSince = s.greenSinceMillis();
        Tier tier = s.tier();
        long tierChanged = s.tierChangedMillis();
        long lastComplaint = Math.max(s.lastComplaintMillis(), ledger.lastComplaint);
        if (rating != s.rating()) {
            events.add(new StandingEvent(0, businessId, at, StandingEvent.Kind.QUALITY_CHANGED, s.rating(), rating,
                    null, null, 0, null, figures(ledger)));
            if (rating == Quality.GREEN) {
                // Recipients are content again: the next RED starts over at the first pause.
                greenSince = now;
                pauses = 0;
            }
        }
        if (pausedUntil != 0 && pausedUntil != Standing.HELD && pausedUntil <= now) {
            events.add(new StandingEvent(0, businessId, Instant.ofEpochMilli(pausedUntil),
                    StandingEvent.Kind.MARKETING_RESUMED, null, null, null, null, s.pauses(), null,
                    "pause " + s.pauses() + " ended"));
            pauseEnded = pausedUntil;
            pausedUntil = 0;
        }
        if (rating == Quality.RED && pausedUntil == 0 && lastComplaint > pauseEnded) {
            pauses++;
            Duration length = pauses == 1 ? QualityPolicy.FIRST_PAUSE : pauses == 2 ? QualityPolicy.SECOND_PAUSE : null;
            pausedUntil = length == null ? Standing.HELD : now + length.toMillis();
            events.add(new StandingEvent(0, businessId, at, StandingEvent.Kind.MARKETING_PAUSED, null, null, null,
                    null, pauses, length == null ? null : Instant.ofEpochMilli(pausedUntil),
                    "pause " + pauses + (length == null ? ", held until an operator lifts it"
                            : ", for " + hours(length)) + ": the rating is RED (" + figures(ledger) + ")"));
        }
        if (reviewTier) {
            Business business = directory.byId(businessId).orElse(null);
            Tier effective = business == null ? null : tier == null ? business.tier() : Tier.higher(business.tier(), tier);
            if (effective != null && !effective.isUnlimited() && rating == Quality.GREEN
                    && business.quality() == Quality.GREEN
                    && (greenSince == 0 || greenSince <= now - upgradeMillis)
                    && (tierChanged == 0 || tierChanged <= now - upgradeMillis)) {
                long reached = limits.reached(businessId).inReach();
                if (reached * 2 >= effective.uniqueRecipientsPerDay()) {
                    Tier next = effective.next();
                    events.add(new StandingEvent(0, businessId, at, StandingEvent.Kind.TIER_CHANGED, null, null,
                            effective, next, 0, null, "reached " + reached + " unique recipients within "
                            + days(limits.reachWindow()) + ", at least half of its tier of " + effective
                            + ", with a GREEN rating throughout"));
                    tier = next;
                    tierChanged = now;
                }
            }
        }
        Standing next = new Standing(businessId, tier, rating, pauses, pausedUntil, lastComplaint, pauseEnded,
                greenSince, tierChanged);
        if (!next.equals(s)) {
            standings.put(next);
            // Submitted under the ledger's lock, so a business's changes are stored in the order made.
            store.save(next, events);
        }
    }

    private String figures(Ledger ledger) {
        long complaints = ledger.spam + ledger.blocks;
        long all = complaints + ledger.positives;
        String share = all == 0 ? "0%" : String.format(Locale.ROOT, "%.1f%%", 100.0 * complaints / all);
        return complaints + " complaints (" + ledger.spam + " spam reports, " + ledger.blocks + " blocks) against "
                + ledger.positives + " positive signals within " + days(policy.window()) + ": " + share
                + " complaints; YELLOW from " + percent(policy.yellowRate()) + ", RED from "
                + percent(policy.redRate()) + ", counted from " + policy.minComplaints() + " complaints";
    }

    private static String percent(double rate) {
        return String.format(Locale.ROOT, "%s%%", new java.math.BigDecimal(rate * 100)
                .round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString());
    }

    private static String hours(Duration duration) {
        return duration.toHours() + " hours";
    }

    private static String days(Duration duration) {
        return duration.toHours() % 24 == 0 ? duration.toDays() + " days" : duration.toHours() + " hours";
    }

    private static long hourOf(long millis) {
        return millis - Math.floorMod(millis, HOUR);
    }

    private Ledger ledger(String businessId) {
        Ledger ledger = ledgers.get(businessId);
        return ledger != null ? ledger : ledgers.computeIfAbsent(businessId, Ledger::new);
    }

    /** A business's signals per hour within the window, and their totals. Guarded by itself. */
    private final class Ledger {
        final String businessId;
        final TreeMap<Long, long[]> hours = new TreeMap<>();
        final Map<Long, Long> unflushed = new HashMap<>();
        long spam;
        long blocks;
        long positives;
        long lastComplaint;

        Ledger(String businessId) {
            this.businessId = businessId;
        }

        void add(long hour, long spamReports, long blockCount, long positiveCount) {
            long[] counts = hours.computeIfAbsent(hour, h -> new long[3]);
            counts[0] += spamReports;
            counts[1] += blockCount;
            counts[2] += positiveCount;
            spam += spamReports;
            blocks += blockCount;
            positives += positiveCount;
        }

        /** Drops the hours wholly out of the window: a signal counts for the window and at most an hour more. */
        void roll(long now) {
            for (Iterator<Map.Entry<Long, long[]>> it = hours.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Long, long[]> hour = it.next();
                if (hour.getKey() + HOUR > now - windowMillis) {
                    return;
                }
                spam -= hour.getValue()[0];
                blocks -= hour.getValue()[1];
                positives -= hour.getValue()[2];
                it.remove();
            }
        }
    }
}
