package org.optline.loadtest;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The requests of one open-model run, shared by its lanes: which are due (the {@link Pacer}
 * advances that with the clock), which were claimed by a lane, and which are settled
 * (answered or given up on). Latency is recorded from each request's intended time, never
 * from the moment a lane got round to sending it.
 *
 * <p>Requests due before {@code measureFromNanos} are the warm-up: they are sent and counted
 * like the others, but their latencies and outcomes are kept apart from the measured ones.
 */
final class OpenLoop {
    private final ArrivalSchedule schedule;
    private final long measureFromNanos;
    private final Ticker ticker;
    private final Latencies latencies;
    private final Tally warmUpTally = new Tally();
    private final Tally measuredTally = new Tally();
    private final AtomicLong due = new AtomicLong();
    private final AtomicLong claimed = new AtomicLong();
    private final AtomicLong settled = new AtomicLong();
    private final AtomicLong lastAnswerNanos;
    private final CompletableFuture<Void> allSettled = new CompletableFuture<>();
    private volatile boolean stopped;
    /** The pacer while it sleeps with every lane busy, or null. */
    private volatile Thread sleepingPacer;

    OpenLoop(ArrivalSchedule schedule, long measureFromNanos, Ticker ticker, Latencies latencies) {
        this.schedule = schedule;
        this.measureFromNanos = measureFromNanos;
        this.ticker = ticker;
        this.latencies = latencies;
        this.lastAnswerNanos = new AtomicLong(schedule.startNanos());
        if (schedule.requests() == 0) {
            allSettled.complete(null);
        }
    }

    ArrivalSchedule schedule() {
        return schedule;
    }

    Ticker ticker() {
        return ticker;
    }

    /**
     * Makes every request due whose time has come by {@code nowNanos}; returns how many became
     * due now. Called by the pacer only.
     */
    long advance(long nowNanos) {
        long dueNow = schedule.dueAt(nowNanos);
        long before = due.getAndAccumulate(dueNow, Math::max);
        return Math.max(0, dueNow - before);
    }

    /** The intended time of the next request not yet due, or {@link Long#MAX_VALUE} when all are due. */
    long nextDueNanos() {
        long next = due.get();
        return next >= schedule.requests() ? Long.MAX_VALUE : schedule.intendedNanos(next);
    }

    /** True when every request of the schedule is due. */
    boolean allDue() {
        return due.get() >= schedule.requests();
    }

    /**
     * The next due request for a lane to send, or -1 when none is due (or the run stopped).
     * Each request is handed out once. When every request made due so far is claimed, this
     * looks at the clock itself: a lane that an answer has just freed takes what came due
     * since, without waiting for the pacer's next tick.
     */
    long claim() {
        while (true) {
            long next = claimed.get();
            if (stopped) {
                return -1;
            }
            if (next >= due.get()) {
                if (next >= schedule.requests()) {
                    return -1;
                }
                advance(ticker.nanoTime());
                if (next >= due.get()) {
                    return -1;
                }
            }
            if (claimed.compareAndSet(next, next + 1)) {
                return next;
            }
        }
    }

    /**
     * A lane found nothing due and has room again: a pacer that sleeps because every lane was
     * busy must wake to hand it the next request on time.
     */
    void idle() {
        Thread pacer = sleepingPacer;
        if (pacer != null) {
            LockSupport.unpark(pacer);
        }
    }

    /**
     * The pacer is about to sleep past the next request's intended time, or has woken: while
     * set, a lane that becomes {@link #idle} wakes it.
     */
    void pacerSleeping(Thread pacer) {
        sleepingPacer = pacer;
    }

    /** The request's reply arrived now: its latency counts from when it was due. */
    void answered(long request) {
        long intended = schedule.intendedNanos(request);
        long now = ticker.nanoTime();
        latencies.record(now - intended, intended >= measureFromNanos);
        lastAnswerNanos.accumulateAndGet(now, Math::max);
        settle();
    }

    /** The request will get no reply (its connection closed, the run stopped). */
    void unanswered(long request) {
        settle();
    }

    /** The tally that the outcomes of {@code request} belong to: warm-up or measured. */
    Tally tally(long request) {
        return isMeasured(request) ? measuredTally : warmUpTally;
    }

    boolean isMeasured(long request) {
        return schedule.intendedNanos(request) >= measureFromNanos;
    }

    Tally measuredTally() {
        return measuredTally;
    }

    Tally warmUpTally() {
        return warmUpTally;
    }

    /** When the latest answer so far arrived. */
    long lastAnswerNanos() {
        return lastAnswerNanos.get();
    }

    long measureFromNanos() {
        return measureFromNanos;
    }

    /** Requests handed to lanes so far. */
    long claimed() {
        return claimed.get();
    }

    /** Requests due but not yet claimed by a lane: the client's own queue. */
    long backlog() {
        return Math.max(0, due.get() - claimed.get());
    }

    /** Requests sent and not yet settled. */
    long inFlight() {
        return claimed.get() - settled.get();
    }

    /** Requests never handed to a lane (only meaningful once stopped). */
    long notSent() {
        return schedule.requests() - claimed.get();
    }

    /** Measured requests never handed to a lane: the schedule's tail that the run did not reach. */
    long measuredNotSent() {
        long first = Math.max(claimed.get(), firstMeasuredRequest());
        return Math.max(0, schedule.requests() - first);
    }

    /** The first request whose intended time is in the measured part of the run. */
    long firstMeasuredRequest() {
        long first = schedule.dueAt(measureFromNanos - 1);
        return Math.min(first, schedule.requests());
    }

    /**
     * Hands out nothing more; completes {@link #settled()} once what was claimed is settled.
     * The lanes then count their requests in flight as unanswered when they close.
     */
    void stop() {
        stopped = true;
        checkSettled();
    }

    boolean isStopped() {
        return stopped;
    }

    /** Completes when every request is settled, or, once stopped, every claimed one. */
    CompletableFuture<Void> settled() {
        return allSettled;
    }

    private void settle() {
        settled.incrementAndGet();
        checkSettled();
    }

    private void checkSettled() {
        long done = settled.get();
        if (done >= schedule.requests() || stopped && done >= claimed.get()) {
            allSettled.complete(null);
        }
    }
}
