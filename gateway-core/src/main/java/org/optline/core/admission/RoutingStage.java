package org.optline.core.admission;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.optline.core.business.Business;
import org.optline.core.delivery.DeliveryPolicy;
import org.optline.core.idempotency.IdempotencyRecord;
import org.optline.core.idempotency.IdempotencyWindow;
import org.optline.core.limit.AntiSpamCounts;
import org.optline.core.message.Outcome;
import org.optline.core.message.Reason;
import org.optline.core.queue.Accepted;
import org.optline.core.queue.DeliveryLog;
import org.optline.core.queue.MessageIds;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.storage.StorageFault;
import org.optline.core.storage.StorageUnavailableException;

/**
 * Stage 8: appends the surviving messages to their recipients' queues and answers ACCEPTED
 * only once the queues say they are safe. When too many appends are already waiting, when the
 * last append that completed took longer than {@link AdmissionPolicy#maxAppendWait()} (the store is
 * behind: the next would wait as long), or when the append fails, the messages are OVERLOADED:
 * nothing was queued and a retry is welcome. When the
 * append fails because the store has a {@link StorageFault} (a full disk, damage), they are
 * STORAGE_UNAVAILABLE instead, with the store's own retry delay: a retry 50 ms later would fail too.
 */
final class RoutingStage {
    private final DeliveryLog log;
    private final MessageIds messageIds;
    private final InstantSource clock;
    private final AdmissionPolicy policy;
    private final IdempotencyWindow idempotency;
    private final DeliveryPolicy delivery;
    private final AtomicInteger pending = new AtomicInteger();
    private final LongSupplier nanoTime;
    /**
     * How long the last append that completed took, from here to its answer. Under overload it is
     * the store's queue delay; it is looked at only while appends are pending, so a stale figure
     * never refuses work after the store has caught up.
     */
    private volatile long lastAppendNanos;

    RoutingStage(DeliveryLog log, MessageIds messageIds, InstantSource clock, AdmissionPolicy policy,
                 IdempotencyWindow idempotency, DeliveryPolicy delivery) {
        this(log, messageIds, clock, policy, idempotency, delivery, System::nanoTime);
    }

    RoutingStage(DeliveryLog log, MessageIds messageIds, InstantSource clock, AdmissionPolicy policy,
                 IdempotencyWindow idempotency, DeliveryPolicy delivery, LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.log = log;
        this.delivery = delivery;
        this.idempotency = idempotency;
        this.messageIds = messageIds;
        this.clock = clock;
        this.policy = policy;
    }

    /** Routes the candidates; each one's outcome completes when its append is safe or has failed. */
    void route(Business business, List<Candidate> undecided) {
        int count = undecided.size();
        if (count == 0) {
            return;
        }
        int pendingNow = pending.addAndGet(count);
        if (pendingNow > policy.maxPendingAppends() || slowWith(pendingNow - count)) {
            pending.addAndGet(-count);
            overloaded(business, undecided, "the delivery queues are behind; nothing was queued");
            return;
        }
        long started = nanoTime.getAsLong();
        List<Accepted> messages = new ArrayList<>(count);
        var now = clock.instant();
        for (Candidate candidate : undecided) {
            // The effective category decides the time to live: a code reclassified from an alert
            // lives as briefly as any code.
            int ttlSeconds = delivery.ttlSeconds(candidate.category, candidate.submission.ttlSeconds());
            QueuedMessage message = new QueuedMessage(messageIds.next(), business.id(), candidate.clientMessageId(),
                    candidate.recipient, candidate.category, candidate.reclassified, candidate.text, now,
                    ttlSeconds, candidate.submission.campaignId());
            // The answer, with the classifier's reason when it changed the category, is also what
            // a retry of the same client_message_id gets back: one outcome, recorded with the message.
            Outcome accepted = new Outcome(candidate.clientMessageId(), Reason.ACCEPTED, message.messageId(),
                    candidate.category, candidate.reclassified, false, 0, candidate.classificationDetail);
            messages.add(new Accepted(message,
                    new IdempotencyRecord(business.id(), candidate.clientMessageId(), accepted, now),
                    candidate.countedByLimits == null ? AntiSpamCounts.NONE : candidate.countedByLimits.counts()));
        }
        CompletableFuture<List<Outcome>> appended;
        try {
            appended = log.appendDecided(messages);
        } catch (RuntimeException e) {
            appended = CompletableFuture.failedFuture(e);
        }
        appended.whenComplete((outcomes, error) -> {
            lastAppendNanos = nanoTime.getAsLong() - started;
            pending.addAndGet(-count);
            if (error != null) {
                StorageUnavailableException unavailable = StorageUnavailableException.of(error);
                if (unavailable != null) {
                    unavailable(business, undecided, unavailable);
                } else {
                    overloaded(business, undecided,
                            "the delivery queues could not store the messages; nothing was queued");
                }
                return;
            }
            for (int i = 0; i < count; i++) {
                Candidate candidate = undecided.get(i);
                Outcome own = messages.get(i).idempotency().outcome();
                Outcome decided = outcomes.get(i);
                if (decided.equals(own)) {
                    if (candidate.countedByLimits != null) {
                        // Stored with the message: the limits' caches may let the counts go now.
                        candidate.countedByLimits.settle();
                    }
                    candidate.decide(own);
                } else if (decided.reason().isRetryable()) {
                    refuseForNow(business, List.of(candidate), decided.reason(), decided.retryAfterMillis(),
                            decided.detail());
                } else {
                    // The log found this message repeats an earlier one (a retry on another node) or
                    // passes a cap over every node's messages: it queued nothing, so the limits give
                    // back what they counted for it.
                    if (candidate.countedByLimits != null) {
                        candidate.countedByLimits.release();
                    }
                    candidate.decide(decided);
                }
            }
        });
    }

    /**
     * Whether the store is behind: the last append took longer than the wait allowed while others
     * are still pending, or the pending bound is reached. Admission asks before it runs any stage,
     * so that under overload a submission is refused before its work is done, not after.
     */
    boolean behind() {
        int pendingNow = pending.get();
        return pendingNow >= policy.maxPendingAppends() || slowWith(pendingNow);
    }

    /**
     * Whether appends are too slow with {@code others} messages already pending. Fewer than a
     * largest submission's worth is no backlog (a few hundred HTTP connections with a request
     * each, say): refusing them would spare no memory and only answer a slow fsync with errors.
     */
    private boolean slowWith(int others) {
        return others >= policy.maxBatchSize() && lastAppendNanos > policy.maxAppendWait().toNanos();
    }

    /** Messages the queues hold but have not yet made safe. */
    int pending() {
        return pending.get();
    }

    private void overloaded(Business business, List<Candidate> candidates, String detail) {
        refuseForNow(business, candidates, Reason.OVERLOADED, policy.overloadRetryAfter().toMillis(), detail);
    }

    private void unavailable(Business business, List<Candidate> candidates, StorageUnavailableException why) {
        refuseForNow(business, candidates, Reason.STORAGE_UNAVAILABLE, why.retryAfter().toMillis(),
                unavailableDetail(why.fault()));
    }

    /** What a sender reads for a message refused because of a storage fault: the kind, not the disk's details. */
    static String unavailableDetail(StorageFault fault) {
        return switch (fault) {
            case DISK_FULL -> "the gateway's disk is full; nothing was queued, retry later or on another node";
            case WRITE_FAILED -> "the gateway cannot write to its store; nothing was queued, retry later or on another node";
            case CORRUPT -> "the gateway's store is damaged and takes no writes; nothing was queued, retry on another node";
        };
    }

    private void refuseForNow(Business business, List<Candidate> candidates, Reason reason, long retryAfterMillis,
                              String detail) {
        for (Candidate candidate : candidates) {
            // Released before the answer goes out, so that the sender's retry is admitted afresh:
            // not as a duplicate, and not refused by the counts of a message that was never queued.
            idempotency.release(business.id(), candidate.clientMessageId(), candidate.outcome);
            if (candidate.countedByLimits != null) {
                candidate.countedByLimits.release();
            }
            candidate.retryLater(reason, retryAfterMillis, detail);
        }
    }
}
