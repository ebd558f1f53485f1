package org.optline.core.admission;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.optline.core.business.Business;
import org.optline.core.classify.Classifier;
import org.optline.core.consent.ConsentStore;
import org.optline.core.delivery.DeliveryPolicy;
import org.optline.core.idempotency.IdempotencyWindow;
import org.optline.core.limit.AntiSpamLimits;
import org.optline.core.limit.ThroughputLimiter;
import org.optline.core.message.Outcome;
import org.optline.core.message.Reason;
import org.optline.core.message.Submission;
import org.optline.core.queue.DeliveryLog;
import org.optline.core.queue.MessageIds;
import org.optline.core.storage.StorageUnavailableException;
import org.optline.core.template.TemplateLookup;

/**
 * Admission: runs each submitted message through the stages of SPEC section 3 in order, and
 * answers every message with an {@link Outcome}. The business is already authenticated (stage
 * 1 belongs to the transport). A submission never fails as a whole because one message did.
 *
 * <p>The stages run on the given executor, never on the caller's thread, because a consent
 * lookup may touch the disk and the caller is usually an event loop. When that executor is
 * saturated the whole submission is answered OVERLOADED at once. A stage whose store read is not
 * complete on return (a remote engine, a cold cache) lets the thread go; the stages after it
 * resume on the same executor when the read completes.
 */
public final class AdmissionPipeline {
    private final Executor executor;
    private final AdmissionListener listener;
    private final AdmissionPolicy policy;
    private final List<Stage> stages;
    private final IdempotencyWindow idempotency;
    private final RoutingStage routing;

    /** A pipeline whose accepted messages get their time to live from {@code delivery}. */
    public AdmissionPipeline(AdmissionPolicy policy, DeliveryPolicy delivery, InstantSource clock,
                             ConsentStore consents, DeliveryLog deliveryLog, IdempotencyWindow idempotency,
                             AntiSpamLimits antiSpam, Classifier classifier, Executor executor,
                             AdmissionListener listener) {
        this(policy, delivery, clock, consents, deliveryLog, idempotency, antiSpam, classifier,
                TemplateLookup.CONFIGURED, executor, listener);
    }

    /** A pipeline that finds templates in {@code templates} (the node's live registry). */
    public AdmissionPipeline(AdmissionPolicy policy, DeliveryPolicy delivery, InstantSource clock,
                             ConsentStore consents, DeliveryLog deliveryLog, IdempotencyWindow idempotency,
                             AntiSpamLimits antiSpam, Classifier classifier, TemplateLookup templates,
                             Executor executor, AdmissionListener listener) {
        this(policy, delivery, clock, consents, deliveryLog, idempotency, antiSpam, classifier, templates, executor,
                listener, () -> 1);
    }

    /**
     * A pipeline on a node that shares the work with {@code nodes} nodes in all (on Kafka): it takes
     * its share of each business's throughput limit ({@link ThroughputLimiter}).
     */
    public AdmissionPipeline(AdmissionPolicy policy, DeliveryPolicy delivery, InstantSource clock,
                             ConsentStore consents, DeliveryLog deliveryLog, IdempotencyWindow idempotency,
                             AntiSpamLimits antiSpam, Classifier classifier, TemplateLookup templates,
                             Executor executor, AdmissionListener listener, java.util.function.IntSupplier nodes) {
        this.policy = policy;
        this.executor = executor;
        this.listener = listener;
        this.idempotency = idempotency;
        this.stages = List.of(
                new ThroughputStage(new ThroughputLimiter(clock, nodes)),
                new ValidationStage(policy, templates),
                new IdempotencyStage(idempotency),
                new ClassificationStage(classifier),
                new ConsentStage(consents),
                new AntiSpamStage(antiSpam));
        this.routing = new RoutingStage(deliveryLog, new MessageIds(clock), clock, policy, idempotency, delivery);
    }

    /** The policy this pipeline enforces, for transports that announce its bounds. */
    public AdmissionPolicy policy() {
        return policy;
    }

    /**
     * The first outcome of a (business, client_message_id) within the idempotency window, refusals
     * included, for a status read; empty when none was decided.
     */
    public CompletableFuture<Optional<Outcome>> firstOutcome(String businessId, String clientMessageId) {
        return idempotency.firstOutcome(businessId, clientMessageId);
    }

    /** Forgets the first outcome of a client_message_id whose message was erased. */
    public void forgetOutcome(String businessId, String clientMessageId) {
        idempotency.forget(businessId, clientMessageId);
    }

    /** Messages handed to the delivery queues and not yet safe; zero once in-flight work has drained. */
    public int pendingAppends() {
        return routing.pending();
    }

    /**
     * Admits a submission of up to {@link AdmissionPolicy#maxBatchSize()} messages for an
     * authenticated business. The future completes with one outcome per message, in order.
     */
    public CompletableFuture<List<Outcome>> admit(Business business, List<Submission> submissions) {
        if (submissions.size() > policy.maxBatchSize()) {
            throw new IllegalArgumentException("a submission carries at most " + policy.maxBatchSize() + " messages");
        }
        long started = System.nanoTime();
        List<Candidate> candidates = new ArrayList<>(submissions.size());
        for (Submission submission : submissions) {
            candidates.add(new Candidate(submission));
        }
        if (routing.behind()) {
            // Refused before any stage runs: the store would refuse it after all of them, and the
            // work spent on it would be taken from the submissions the store can still take.
            refuseAtOnce(candidates, "the delivery queues are behind; nothing was queued");
            return collect(candidates, started);
        }
        try {
            Runnable admission = () -> continueFrom(0, business, candidates, candidates);
            if (executor instanceof AdmissionQueue queue) {
                // The queue counts messages, not submissions: its backlog means the same for batches of 1 and 100.
                queue.execute(admission, candidates.size());
            } else {
                executor.execute(admission);
            }
        } catch (RejectedExecutionException e) {
            refuseAtOnce(candidates, "the gateway is at capacity; nothing was queued");
        }
        return collect(candidates, started);
    }

    /** OVERLOADED for candidates no stage has seen: nothing to release. */
    private void refuseAtOnce(List<Candidate> candidates, String detail) {
        for (Candidate candidate : candidates) {
            candidate.retryLater(Reason.OVERLOADED, policy.overloadRetryAfter().toMillis(), detail);
        }
    }

    /** Runs the stages from {@code first} on, then routes what none of them refused. */
    private void continueFrom(int first, Business business, List<Candidate> all, List<Candidate> undecided) {
        try {
            for (int i = first; i < stages.size() && !undecided.isEmpty(); i++) {
                CompletableFuture<Void> decided = stages.get(i).apply(business, undecided);
                if (!decided.isDone() || decided.isCompletedExceptionally()) {
                    // A read that failed at once (a local engine's) is answered like one that failed later.
                    resumeWhenDone(decided, i + 1, business, all, undecided);
                    return;
                }
                decided.join();
                undecided = undecidedOf(undecided);
            }
            routing.route(business, undecided);
        } catch (Throwable bug) {
            giveUp(business, all, "internal error; nothing was queued");
            if (bug instanceof Error error) {
                throw error;
            }
            throw bug instanceof RuntimeException runtime ? runtime : new IllegalStateException(bug);
        }
    }

    private void resumeWhenDone(CompletableFuture<Void> decided, int next, Business business, List<Candidate> all,
                                List<Candidate> undecided) {
        decided.whenComplete((ok, failure) -> {
            if (failure != null) {
                StorageUnavailableException unavailable = StorageUnavailableException.of(failure);
                if (unavailable != null) {
                    // Not reported here: the store's health tells its fault once, not once per submission.
                    giveUp(business, all, Reason.STORAGE_UNAVAILABLE, unavailable.retryAfter().toMillis(),
                            RoutingStage.unavailableDetail(unavailable.fault()));
                } else {
                    listener.onFailure(failure);
                    giveUp(business, all, "a store could not be read; nothing was queued");
                }
                return;
            }
            try {
                executor.execute(() -> continueFrom(next, business, all, undecidedOf(undecided)));
            } catch (RejectedExecutionException e) {
                giveUp(business, all, "the gateway is at capacity; nothing was queued");
            }
        });
    }

    /**
     * Answers every candidate not yet decided OVERLOADED (or with the given reason), after releasing what it holds: its
     * idempotency claim (its retries would wait on it forever) and its anti-spam counts.
     */
    private void giveUp(Business business, List<Candidate> candidates, String detail) {
        giveUp(business, candidates, Reason.OVERLOADED, policy.overloadRetryAfter().toMillis(), detail);
    }

    private void giveUp(Business business, List<Candidate> candidates, Reason reason, long retryAfterMillis,
                        String detail) {
        for (Candidate candidate : candidates) {
            if (candidate.outcome.isDone()) {
                continue;
            }
            idempotency.release(business.id(), candidate.clientMessageId(), candidate.outcome);
            if (candidate.countedByLimits != null) {
                candidate.countedByLimits.release();
            }
            candidate.retryLater(reason, retryAfterMillis, detail);
        }
    }

    private static List<Candidate> undecidedOf(List<Candidate> candidates) {
        List<Candidate> undecided = new ArrayList<>(candidates.size());
        for (Candidate candidate : candidates) {
            if (!candidate.isDecided()) {
                undecided.add(candidate);
            }
        }
        return undecided;
    }

    private CompletableFuture<List<Outcome>> collect(List<Candidate> candidates, long started) {
        if (candidates.size() == 1) {
            // One message a request (HTTP, TCP batches of one): no allOf and no list copy on the path.
            return candidates.get(0).outcome.thenApply(outcome -> {
                listener.onOutcome(outcome);
                listener.onSubmission(1, System.nanoTime() - started);
                return List.of(outcome);
            });
        }
        CompletableFuture<?>[] outcomes = new CompletableFuture<?>[candidates.size()];
        for (int i = 0; i < outcomes.length; i++) {
            outcomes[i] = candidates.get(i).outcome;
        }
        return CompletableFuture.allOf(outcomes).thenApply(done -> {
            List<Outcome> answers = new ArrayList<>(candidates.size());
            for (Candidate candidate : candidates) {
                Outcome outcome = candidate.outcome.join();
                listener.onOutcome(outcome);
                answers.add(outcome);
            }
            listener.onSubmission(answers.size(), System.nanoTime() - started);
            return answers;
        });
    }
}
