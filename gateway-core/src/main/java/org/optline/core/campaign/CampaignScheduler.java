package org.optline.core.campaign;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.optline.core.business.Business;
import org.optline.core.concurrent.ThreadHop;
import org.optline.core.message.Outcome;
import org.optline.core.message.Submission;
import org.optline.core.submission.SubmissionService;
import org.optline.core.submission.Submitted;

/**
 * Runs the campaigns: every tick (10 ms of real time) it looks at each unfinished campaign on
 * the clock it was given and does what is due — starts a scheduled one, sends what the running
 * ones' token schedules allow, releases members whose quiet hours ended, completes or expires.
 *
 * <p><b>Pacing.</b> Each running campaign earns tokens continuously at its rate and sends one
 * message per whole token, so a pace of 20/s is 20 messages in every second, spread over it, not
 * a burst a minute. Tokens never pile up beyond one second's worth (after a stall it catches up by
 * one second, never more). The rate is the campaign's share of its business's campaign budget
 * ({@link CampaignPolicy#throughputShare()} of the business's limit), split between the
 * business's running campaigns by max-min fairness ({@link FairShare}); the rest of the limit is
 * the business's transactional traffic's, which campaigns never take.
 *
 * <p><b>Quiet hours.</b> A member due while it is quiet hours in any of its number's zones is
 * held, durably, until they end, then sent before the members after it.
 *
 * <p><b>Crash safety.</b> A step submits its messages through {@link SubmissionService}, like any
 * sender, with a client_message_id derived from (campaign, recipient), and only then stores, in
 * one write, the cursor, the holds and the counts. After a crash the campaign resumes from the
 * last stored step: the messages of the step that was lost are submitted again, and admission
 * answers those it had accepted as duplicates, queueing nothing. Nobody is skipped, nobody gets two.
 *
 * <p><b>Threads.</b> Everything about a campaign's state happens on the scheduler's one thread,
 * in order: ticks, the marketer's changes (pause, resume, cancel…) and the end of each step. So a
 * pause takes effect at once (no step starts after it), and the stored record is always the last
 * one made. Admission and the store's writer complete the futures; their results hop back here.
 */
public final class CampaignScheduler implements AutoCloseable {
    /** How often the scheduler looks: pacing is smooth to this grain, and a pause is in effect within it. */
    public static final Duration TICK = Duration.ofMillis(10);
    /** Audience rows one step may look at per message it sends: quiet-hours members are held, not sent. */
    private static final int SCAN_FACTOR = 4;
    /** Rows one step reads at most, whatever it sends. */
    private static final int MAX_SCAN = 4_000;
    /** When the node is draining, or a step failed, its members are tried again after this. */
    private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(1);
    /** The least wait after RATE_LIMITED or OVERLOADED, whatever the answer said. */
    private static final Duration MIN_RETRY = Duration.ofMillis(50);

    private final CampaignStore store;
    private final SubmissionService submissions;
    private final Function<String, Optional<Business>> businesses;
    private final InstantSource clock;
    private final CampaignPolicy policy;
    private final CampaignListener listener;
    private final ScheduledExecutorService thread;
    private final RecipientTimeZones zones = new RecipientTimeZones();
    private final CampaignMessageKeys keys;
    /** Every unfinished campaign, by id; touched on the scheduler's thread only. */
    private final Map<String, Run> runs = new LinkedHashMap<>();
    /** The rate each running campaign has now, for progress readers on any thread. */
    private final Map<String, Double> allocated = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    /** One unfinished campaign as the scheduler drives it. */
    private static final class Run {
        Campaign campaign;
        /** Messages it may send now: earned at its rate, spent by its steps. */
        double credit;
        Instant earnedUpTo;
        /** The step under way (submitted and not yet stored), or null. */
        CompletableFuture<Void> step;
        /**
         * The stored steps whose write is not yet durable. A step that took and released no hold
         * does not wait for its write: the next step goes on while it is synced (writes are
         * applied in order, so the record on disk is never older than one it replaced).
         */
        CompletableFuture<Void> writes = CompletableFuture.completedFuture(null);
        boolean importing;

        Run(Campaign campaign) {
            this.campaign = campaign;
        }
    }

    /**
     * @param thread the scheduler's own single thread; the scheduler shuts it down when closed
     * @param secret a key stable for the store's lifetime, for the messages' idempotency keys
     */
    public CampaignScheduler(CampaignStore store, SubmissionService submissions,
                             Function<String, Optional<Business>> businesses, InstantSource clock,
                             CampaignPolicy policy, byte[] secret, CampaignListener listener,
                             ScheduledExecutorService thread) {
        this.store = store;
        this.submissions = submissions;
        this.businesses = businesses;
        this.clock = clock;
        this.policy = policy;
        this.listener = listener;
        this.thread = thread;
        this.keys = new CampaignMessageKeys(secret);
    }

    /** Loads the unfinished campaigns from the store and starts ticking. */
    public void start() {
        List<Campaign> unfinished = store.unfinished().join();
        onThread(() -> {
            for (Campaign campaign : unfinished) {
                runs.put(campaign.id(), new Run(campaign));
            }
            return CompletableFuture.completedFuture(null);
        }).join();
        thread.scheduleWithFixedDelay(this::tick, 0, TICK.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The rate a running campaign has now (messages a second); 0 when it is not running. */
    public double allocatedRate(String campaignId) {
        return allocated.getOrDefault(campaignId, 0.0);
    }

    /**
     * One tick now, then waits for every step under way to be stored: for tests that move a fake
     * clock and then need what became due to have happened.
     */
    public CompletableFuture<Void> runOnce() {
        return onThread(() -> {
            tick();
            List<CompletableFuture<Void>> steps = new ArrayList<>();
            for (Run run : runs.values()) {
                if (run.step != null) {
                    steps.add(run.step.exceptionally(failure -> null));
                }
            }
            return CompletableFuture.allOf(steps.toArray(CompletableFuture<?>[]::new))
                    .thenCompose(done -> onThread(this::unsyncedWrites));
        });
    }

    // ---- the marketer's changes, each on the scheduler's thread ----

    CompletableFuture<Campaign> create(Campaign campaign) {
        return onThread(() -> {
            runs.put(campaign.id(), new Run(campaign));
            return store.save(campaign).thenApply(saved -> campaign);
        });
    }

    /** The marketer's changes of state; each applies in some states only, and is refused in the others. */
    enum Change {
        SCHEDULE, PAUSE, RESUME, CANCEL
    }

    CompletableFuture<CampaignService.Changed> change(String businessId, String campaignId, Change change) {
        return onThread(() -> {
            Run run = runs.get(campaignId);
            if (run == null || !run.campaign.businessId().equals(businessId)) {
                return finishedOrMissing(businessId, campaignId);
            }
            Campaign campaign = run.campaign;
            CampaignState from = campaign.state();
            Instant now = clock.instant();
            if (run.importing && (change == Change.SCHEDULE || change == Change.CANCEL)) {
                return refused(from, "an audience upload is in progress; try again when it is answered");
            }
            Campaign next;
            switch (change) {
                case SCHEDULE:
                    if (from != CampaignState.DRAFT) {
                        return refused(from, "only a DRAFT campaign can be scheduled");
                    }
                    if (campaign.audience().recipients() == 0) {
                        return refused(from, "the audience is empty: upload it first");
                    }
                    if (campaign.endAt() != null && !campaign.endAt().isAfter(now)) {
                        return refused(from, "the campaign's end time has passed");
                    }
                    next = campaign.withState(CampaignState.SCHEDULED)
                            .withStartAt(campaign.startAt() == null ? now : campaign.startAt());
                    break;
                case PAUSE:
                    if (from != CampaignState.RUNNING) {
                        return refused(from, "only a RUNNING campaign can be paused");
                    }
                    next = campaign.withState(CampaignState.PAUSED);
                    break;
                case RESUME:
                    if (from != CampaignState.PAUSED) {
                        return refused(from, "only a PAUSED campaign can be resumed");
                    }
                    next = campaign.withState(CampaignState.RUNNING);
                    run.credit = 0;
                    run.earnedUpTo = now;
                    break;
                case CANCEL:
                    if (from.isFinished()) {
                        return refused(from, "the campaign is already finished");
                    }
                    next = campaign.withState(CampaignState.CANCELLED)
                            .withProgress(campaign.progress().finished(now));
                    break;
                default:
                    throw new IllegalArgumentException(change.name());
            }
            run.campaign = next;
            listener.onStateChanged(next, from);
            CompletableFuture<Void> stored;
            if (next.state().isFinished()) {
                allocated.remove(campaignId);
                stored = store.finish(next);
                if (run.step == null) {
                    runs.remove(campaignId);
                }
            } else {
                stored = store.save(next);
            }
            return stored.thenApply(done -> new CampaignService.Changed.Done(next));
        });
    }

    /** Marks a DRAFT campaign as taking an upload, so that it is not scheduled or cancelled meanwhile. */
    CompletableFuture<CampaignService.Changed> beginImport(String businessId, String campaignId) {
        return onThread(() -> {
            Run run = runs.get(campaignId);
            if (run == null || !run.campaign.businessId().equals(businessId)) {
                return finishedOrMissing(businessId, campaignId);
            }
            if (run.campaign.state() != CampaignState.DRAFT) {
                return refused(run.campaign.state(), "an audience can be uploaded to a DRAFT campaign only");
            }
            if (run.importing) {
                return refused(run.campaign.state(), "another upload to this campaign is in progress");
            }
            run.importing = true;
            return CompletableFuture.completedFuture(new CampaignService.Changed.Done(run.campaign));
        });
    }

    /** Adds what an upload stored to the campaign's audience, and ends the upload. */
    CompletableFuture<Campaign> endImport(String campaignId, AudienceSummary uploaded) {
        return onThread(() -> {
            Run run = runs.get(campaignId);
            if (run == null) {
                return CompletableFuture.failedFuture(new IllegalStateException("the campaign went away"));
            }
            run.importing = false;
            Campaign next = run.campaign.withAudience(run.campaign.audience().plus(uploaded));
            run.campaign = next;
            return store.save(next).thenApply(done -> next);
        });
    }

    private CompletableFuture<CampaignService.Changed> finishedOrMissing(String businessId, String campaignId) {
        return store.find(businessId, campaignId).thenApply(found -> found
                .<CampaignService.Changed>map(c -> new CampaignService.Changed.Refused(c.state(),
                        "the campaign is " + c.state()))
                .orElseGet(CampaignService.Changed.NotFound::new));
    }

    private static CompletableFuture<CampaignService.Changed> refused(CampaignState state, String detail) {
        return CompletableFuture.completedFuture(new CampaignService.Changed.Refused(state, detail));
    }

    // ---- the tick ----

    private void tick() {
        if (stopped) {
            return;
        }
        try {
            Instant now = clock.instant();
            share();
            for (Run run : List.copyOf(runs.values())) {
                try {
                    advance(run, now);
                } catch (RuntimeException e) {
                    listener.onStepFailed(run.campaign.id(), e);
                }
            }
        } catch (RuntimeException e) {
            // A periodic task that throws is never run again: report it and carry on next tick.
            listener.onStepFailed("*", e);
        }
    }

    /** Gives each running campaign its fair share of its business's campaign budget. */
    private void share() {
        Map<String, Map<String, Integer>> pacesByBusiness = new HashMap<>();
        for (Run run : runs.values()) {
            Campaign campaign = run.campaign;
            if (campaign.state() == CampaignState.RUNNING) {
                pacesByBusiness.computeIfAbsent(campaign.businessId(), b -> new HashMap<>())
                        .put(campaign.id(), campaign.pacePerSecond());
            } else {
                allocated.remove(campaign.id());
            }
        }
        pacesByBusiness.forEach((businessId, paces) -> {
            double budget = businesses.apply(businessId)
                    .map(b -> b.throughputPerSecond() * policy.throughputShare()).orElse(0.0);
            allocated.putAll(FairShare.allocate(budget, paces));
        });
    }

    private void advance(Run run, Instant now) {
        Campaign campaign = run.campaign;
        if (campaign.state() == CampaignState.SCHEDULED && !now.isBefore(campaign.startAt())) {
            Campaign next = campaign.withState(CampaignState.RUNNING).withProgress(campaign.progress().started(now));
            run.campaign = next;
            run.credit = 0;
            run.earnedUpTo = now;
            listener.onStateChanged(next, campaign.state());
            track(run, store.save(next));
        } else if (campaign.state() == CampaignState.RUNNING && run.step == null) {
            step(run, now);
        }
    }

    /** Earns the campaign's tokens since the last look, at most one second's worth. */
    private void earn(Run run, Instant now, double rate) {
        if (run.earnedUpTo == null || now.isBefore(run.earnedUpTo)) {
            run.earnedUpTo = now;
            return;
        }
        double seconds = Duration.between(run.earnedUpTo, now).toNanos() / 1e9;
        run.credit = Math.min(run.credit + rate * seconds, Math.max(1.0, rate));
        run.earnedUpTo = now;
    }

    private void step(Run run, Instant now) {
        Campaign campaign = run.campaign;
        Progress progress = campaign.progress();
        if (campaign.endAt() != null && !now.isBefore(campaign.endAt())) {
            expire(run, now);
            return;
        }
        boolean exhausted = progress.cursor() >= campaign.audience().recipients();
        long waiting = progress.waitingQuietHours() + progress.waitingRetry();
        if (exhausted && waiting == 0) {
            complete(run, now);
            return;
        }
        earn(run, now, allocatedRate(campaign.id()));
        int wanted = (int) Math.min(Math.floor(run.credit), policy.maxStep());
        if (wanted <= 0) {
            return;
        }
        Step step = new Step(run, now, wanted);
        CompletableFuture<List<Hold>> due = waiting > 0 ? store.dueHolds(campaign.id(), now, wanted)
                : CompletableFuture.completedFuture(List.of());
        CompletableFuture<Void> done = here(due)
                .thenCompose(holds -> here(store.members(campaign.id(), ordinals(holds)))
                        .thenApply(rows -> {
                            step.release(holds, rows);
                            return null;
                        }))
                .thenCompose(ignored -> {
                    int more = wanted - step.sends.size();
                    if (more <= 0 || exhausted) {
                        return CompletableFuture.completedFuture(List.<AudienceRow>of());
                    }
                    // Without quiet hours every row read is sent; with them, some are held instead.
                    int scan = campaign.quietHours().isNone() ? more : Math.min(MAX_SCAN, more * SCAN_FACTOR);
                    return here(store.audience(campaign.id(), progress.cursor(), scan));
                })
                .thenCompose(rows -> {
                    step.take(rows);
                    return submit(step);
                });
        track(run, done);
    }

    /** Keeps a step's future on the run until it is over; reports a failure, and lets the next tick try again. */
    private void track(Run run, CompletableFuture<Void> work) {
        if (work.isDone() && !work.isCompletedExceptionally()) {
            afterStep(run);
            return;
        }
        run.step = work;
        work.whenComplete((ok, failure) -> onThread(() -> {
            if (failure != null) {
                listener.onStepFailed(run.campaign.id(), failure);
            }
            if (run.step == work) {
                run.step = null;
            }
            afterStep(run);
            // A campaign behind its pace goes on at once rather than at the next tick.
            if (failure == null && !stopped && run.step == null && run.campaign.state() == CampaignState.RUNNING) {
                step(run, clock.instant());
            }
            return CompletableFuture.completedFuture(null);
        }));
    }

    private void afterStep(Run run) {
        if (run.campaign.state().isFinished() && run.step == null) {
            runs.remove(run.campaign.id());
            allocated.remove(run.campaign.id());
        }
    }

    /** What one step picked and what came of it; built and applied on the scheduler's thread. */
    private final class Step {
        final Run run;
        final Instant now;
        final int wanted;
        final Campaign campaign;
        final List<AudienceRow> sends = new ArrayList<>();
        final List<Hold> released = new ArrayList<>();
        final List<Hold> taken = new ArrayList<>();
        Counts happened = Counts.ZERO;
        long cursor;
        long quietDelta;
        long retryDelta;

        Step(Run run, Instant now, int wanted) {
            this.run = run;
            this.now = now;
            this.wanted = wanted;
            this.campaign = run.campaign;
            this.cursor = campaign.progress().cursor();
        }

        /** The holds due now, with their members: they waited longest, so they go first. */
        void release(List<Hold> holds, List<AudienceRow> rows) {
            Map<Long, AudienceRow> byOrdinal = new HashMap<>();
            rows.forEach(row -> byOrdinal.put(row.ordinal(), row));
            for (Hold hold : holds) {
                released.add(hold);
                if (hold.kind() == Hold.Kind.QUIET_HOURS) {
                    quietDelta--;
                } else {
                    retryDelta--;
                }
                AudienceRow row = byOrdinal.get(hold.ordinal());
                if (row != null) {
                    decide(row, hold);
                }
            }
        }

        /** Members from the cursor on, until the step has as many messages as it may send. */
        void take(List<AudienceRow> rows) {
            for (AudienceRow row : rows) {
                if (sends.size() >= wanted) {
                    break;
                }
                cursor = row.ordinal() + 1;
                decide(row, null);
            }
        }

        private void decide(AudienceRow row, Hold from) {
            QuietHours quiet = campaign.quietHours();
            if (!quiet.isNone()) {
                var recipientZones = zones.of(row.recipient());
                if (quiet.isQuiet(now, recipientZones)) {
                    Optional<Instant> opening = quiet.nextOpening(now, recipientZones);
                    if (opening.isEmpty()) {
                        happened = happened.plus(CampaignOutcome.NO_SENDING_WINDOW, 1);
                        return;
                    }
                    taken.add(new Hold(opening.get(), row.ordinal(), Hold.Kind.QUIET_HOURS));
                    quietDelta++;
                    if (from == null || from.kind() != Hold.Kind.QUIET_HOURS) {
                        happened = happened.plus(CampaignOutcome.HELD_QUIET_HOURS, 1);
                    }
                    return;
                }
            }
            sends.add(row);
        }

        /** The answers for the messages sent; a retryable one is held and tried again later. */
        void answered(List<Outcome> outcomes, Instant at) {
            for (int i = 0; i < outcomes.size(); i++) {
                Outcome outcome = outcomes.get(i);
                CampaignOutcome counted = CampaignOutcome.of(outcome.reason());
                if (counted == CampaignOutcome.RETRIED) {
                    Duration wait = Duration.ofMillis(Math.max(MIN_RETRY.toMillis(), outcome.retryAfterMillis()));
                    retry(sends.get(i), at.plus(wait));
                } else {
                    happened = happened.plus(counted, 1);
                }
            }
        }

        void retryAll(Instant at) {
            for (AudienceRow row : sends) {
                retry(row, at);
            }
        }

        private void retry(AudienceRow row, Instant at) {
            taken.add(new Hold(at, row.ordinal(), Hold.Kind.RETRY));
            retryDelta++;
            happened = happened.plus(CampaignOutcome.RETRIED, 1);
        }
    }

    private CompletableFuture<Void> submit(Step step) {
        step.run.credit -= step.sends.size();
        if (step.sends.isEmpty()) {
            return record(step);
        }
        Campaign campaign = step.campaign;
        Optional<Business> business = businesses.apply(campaign.businessId());
        if (business.isEmpty()) {
            // The business left the configuration: keep its members for when it is back.
            step.retryAll(step.now.plus(Duration.ofMinutes(1)));
            return record(step);
        }
        // A step of several admission batches submits them all at once: both the admission pool
        // and one group commit work on them together.
        int batchSize = submissions.maxBatchSize();
        List<CompletableFuture<Submitted>> answers = new ArrayList<>();
        for (int from = 0; from < step.sends.size(); from += batchSize) {
            List<AudienceRow> rows = step.sends.subList(from, Math.min(step.sends.size(), from + batchSize));
            List<Submission> messages = new ArrayList<>(rows.size());
            for (AudienceRow row : rows) {
                messages.add(message(campaign, row));
            }
            CompletableFuture<Submitted> answer;
            try {
                answer = submissions.submit(business.get(), messages);
            } catch (RuntimeException e) {
                answer = CompletableFuture.failedFuture(e);
            }
            answers.add(answer.handle((submitted, failure) -> {
                if (failure != null) {
                    listener.onStepFailed(campaign.id(), failure);
                }
                return submitted;
            }));
        }
        return here(CompletableFuture.allOf(answers.toArray(CompletableFuture<?>[]::new))).thenCompose(all -> {
            Instant at = clock.instant();
            List<Outcome> outcomes = new ArrayList<>(step.sends.size());
            boolean complete = true;
            for (CompletableFuture<Submitted> answer : answers) {
                if (answer.join() instanceof Submitted.Answered answered) {
                    outcomes.addAll(answered.outcomes());
                } else {
                    complete = false;
                }
            }
            if (complete) {
                step.answered(outcomes, at);
            } else {
                // Draining for a shutdown, or a failure: what was admitted answers a resend as a
                // duplicate, so every member of the step waits and is submitted again.
                step.retryAll(at.plus(RETRY_AFTER_FAILURE));
            }
            return record(step);
        });
    }

    /** Stores the step in one write, applied to the campaign as it is now (it may have been paused or cancelled meanwhile). */
    private CompletableFuture<Void> record(Step step) {
        Run run = step.run;
        Campaign current = run.campaign;
        Progress progress = current.progress();
        boolean finished = current.state().isFinished();
        Progress next = progress.withCursor(Math.max(progress.cursor(), step.cursor))
                .withCounts(progress.counts().plus(step.happened))
                .withWaiting(progress.waitingQuietHours() + step.quietDelta, progress.waitingRetry() + step.retryDelta);
        Campaign updated = current.withProgress(next);
        run.campaign = updated;
        if (step.released.isEmpty() && step.taken.isEmpty() && step.happened.isZero()
                && next.cursor() == progress.cursor()) {
            return CompletableFuture.completedFuture(null);
        }
        if (!step.happened.isZero()) {
            listener.onSent(updated, step.happened);
        }
        // A cancelled campaign's holds were dropped with it: those taken now would never be released.
        List<Hold> taken = finished ? List.of() : step.taken;
        CompletableFuture<Void> write = store.step(updated, step.released, taken,
                step.now.truncatedTo(ChronoUnit.SECONDS), step.happened);
        if (!step.released.isEmpty() || !taken.isEmpty()) {
            // The next step reads the holds: it must see these released and taken on disk.
            return write;
        }
        run.writes = CompletableFuture.allOf(run.writes, write.whenComplete((ok, failure) -> {
            if (failure != null) {
                listener.onStepFailed(updated.id(), failure);
            }
        }).exceptionally(failure -> null));
        return CompletableFuture.completedFuture(null);
    }

    /** Every write of the runs that is not yet durable, failures included (they were reported). */
    private CompletableFuture<Void> unsyncedWrites() {
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (Run run : runs.values()) {
            writes.add(run.writes);
        }
        return CompletableFuture.allOf(writes.toArray(CompletableFuture<?>[]::new));
    }

    private Submission message(Campaign campaign, AudienceRow row) {
        String clientMessageId = keys.clientMessageId(campaign.id(), row.recipient());
        if (campaign.templateName() != null) {
            return new Submission(clientMessageId, row.recipient().e164(), campaign.declaredCategory(), null,
                    campaign.templateName(), row.parameters(), 0, campaign.id());
        }
        return new Submission(clientMessageId, row.recipient().e164(), campaign.declaredCategory(), campaign.text(),
                null, List.of(), 0, campaign.id());
    }

    private void complete(Run run, Instant now) {
        Campaign campaign = run.campaign;
        Campaign next = campaign.withState(CampaignState.COMPLETED).withProgress(campaign.progress().finished(now));
        run.campaign = next;
        listener.onStateChanged(next, campaign.state());
        track(run, store.finish(next));
    }

    /** The end time passed: whoever was not sent to is dropped and counted, and the campaign completes. */
    private void expire(Run run, Instant now) {
        Campaign campaign = run.campaign;
        Progress progress = campaign.progress();
        long dropped = progress.remaining(campaign.audience().recipients());
        Counts expired = Counts.ZERO.plus(CampaignOutcome.EXPIRED, dropped);
        Progress next = progress.withCursor(Math.max(progress.cursor(), campaign.audience().recipients()))
                .withCounts(progress.counts().plus(expired)).withWaiting(0, 0).finished(now);
        Campaign finished = campaign.withState(CampaignState.COMPLETED).withProgress(next);
        run.campaign = finished;
        listener.onStateChanged(finished, campaign.state());
        track(run, store.step(finished, List.of(), List.of(), now.truncatedTo(ChronoUnit.SECONDS), expired)
                .thenCompose(stepped -> store.finish(finished)));
    }

    private static List<Long> ordinals(List<Hold> holds) {
        List<Long> ordinals = new ArrayList<>(holds.size());
        holds.forEach(hold -> ordinals.add(hold.ordinal()));
        return ordinals;
    }

    /** Runs {@code work} on the scheduler's thread; its future is the answer. */
    private <T> CompletableFuture<T> onThread(Supplier<CompletableFuture<T>> work) {
        return ThreadHop.call(thread, work,
                refused -> new IllegalStateException("the campaign scheduler has stopped", refused));
    }

    /**
     * A future whose dependents run on the scheduler's thread: itself when already complete
     * (the local engines' reads, on this thread), otherwise one that completes there.
     */
    private <T> CompletableFuture<T> here(CompletableFuture<T> future) {
        if (future.isDone()) {
            return future;
        }
        return future.whenCompleteAsync((value, failure) -> {}, thread);
    }

    /**
     * Stops ticking and waits (up to {@code grace}) for the steps under way to be stored; a step
     * still under way after that is resumed from the last stored one at the next start.
     */
    public void stop(Duration grace) {
        stopped = true;
        try {
            CompletableFuture<Void> steps = onThread(() -> {
                List<CompletableFuture<Void>> underway = new ArrayList<>();
                for (Run run : runs.values()) {
                    if (run.step != null) {
                        underway.add(run.step.exceptionally(failure -> null));
                    }
                }
                return CompletableFuture.allOf(underway.toArray(CompletableFuture<?>[]::new))
                        .thenCompose(done -> onThread(this::unsyncedWrites));
            });
            steps.get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // Whatever is not stored is done again after the restart.
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
        thread.shutdown();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
