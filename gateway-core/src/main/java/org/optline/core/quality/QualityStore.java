package org.optline.core.quality;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The durable side of quality, behind the storage-engine seam: each business's feedback counted
 * per hour, a record of each complaint (so that the same report counted twice counts once), each
 * business's {@link Standing}, and the {@link StandingEvent}s it can read.
 */
public interface QualityStore {

    /**
     * Records a complaint once: when no complaint of this kind about this subject (a message id for
     * a spam report, a keyed hash of the recipient for a block) is kept for the business, keeps one
     * and counts it in its hour, in one atomic step. Completes, when durable, with true when it
     * was new.
     */
    CompletableFuture<Boolean> recordComplaint(String businessId, FeedbackKind kind, String subject, Instant at);

    /** Adds positive signals to an hour's count; completes when durable. */
    CompletableFuture<Void> addPositives(String businessId, long hourMillis, long count);

    /** The business's hourly counts from {@code sinceMillis} on, oldest first. */
    CompletableFuture<List<SignalCounts>> counts(String businessId, long sinceMillis);

    /** Every business's stored standing: read once, when the node starts. */
    CompletableFuture<List<Standing>> standings();

    /**
     * Stores a standing with the events that changed it, in one atomic step; completes, when
     * durable, with the events numbered.
     */
    CompletableFuture<List<StandingEvent>> save(Standing standing, List<StandingEvent> events);

    /** Up to {@code max} of the business's events after sequence {@code after}, oldest first. */
    CompletableFuture<List<StandingEvent>> events(String businessId, long after, int max);

    /** Forgets up to {@code max} hourly counts and complaint records from before {@code beforeMillis}. */
    CompletableFuture<Integer> forget(long beforeMillis, int max);

    /** Feedback that another node sharing the store counted, as the store tells it. */
    interface Signals {
        /**
         * Counts in the hour starting at {@code hourMillis}: a complaint (one spam report or one
         * block, new for the business) or positive signals, counted through another node.
         */
        void countedElsewhere(String businessId, long hourMillis, long spamReports, long blocks, long positives,
                              long atMillis);

        /** An operator lifted the business's pause through another node. */
        void liftedElsewhere(String businessId, long atMillis);
    }

    /**
     * Tells the other nodes sharing this store that an operator lifted the business's pause here
     * (each keeps its own standing); completes when they can read it. An engine of one node has no
     * one to tell.
     */
    default CompletableFuture<Void> lifted(String businessId, long atMillis) {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Tells {@code signals}, from now on, of the complaints and positive signals other nodes that
     * share this store count (an engine on Kafka), so that every node's rating is made of the
     * whole cluster's feedback, and of the pauses operators lifted through them. An engine of one
     * node has nothing to tell.
     */
    default void watch(Signals signals) {
    }
}
