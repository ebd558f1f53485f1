package org.optline.loadtest;

import java.util.List;
import java.util.function.LongConsumer;

/**
 * The rate controller of an open-model run: on one thread, it makes requests due at their
 * intended times and wakes lanes to send them, whether or not earlier requests have been
 * answered. It also calls a reporter once a second, through the run and its drain.
 *
 * <p>While requests wait and every lane is busy, waking at each intended time would help no
 * one: a lane that an answer frees claims what is due by itself ({@link OpenLoop#claim()}).
 * The pacer then sleeps until a lane has room and nothing to send ({@link OpenLoop#idle()}),
 * or until its next report, so that a saturated run does not spend a core on ticking.
 */
final class Pacer {
    private static final long OPEN_CHECK_NANOS = 10_000_000L;

    private final OpenLoop loop;
    private final List<? extends Lane> lanes;
    private final long reportEveryNanos;
    private final LongConsumer reporter;
    /** Where the next wake starts looking, so that no lane is always the first one asked. */
    private int nextLane;

    /** {@code reporter} is given the time of each report, every {@code reportEveryNanos}. */
    Pacer(OpenLoop loop, List<? extends Lane> lanes, long reportEveryNanos, LongConsumer reporter) {
        if (lanes.isEmpty()) {
            throw new IllegalArgumentException("a run needs at least one lane");
        }
        this.loop = loop;
        this.lanes = List.copyOf(lanes);
        this.reportEveryNanos = reportEveryNanos;
        this.reporter = reporter;
    }

    /**
     * Paces the schedule, then waits for the answers, until every request is settled or
     * {@code deadlineNanos} passes; returns true when everything was settled in time.
     */
    boolean run(long deadlineNanos) throws InterruptedException {
        Ticker ticker = loop.ticker();
        long nextReport = loop.schedule().startNanos() + reportEveryNanos;
        long nextOpenCheck = ticker.nanoTime();
        while (true) {
            long now = ticker.nanoTime();
            loop.advance(now);
            // what lanes did not claim yet, whether it became due now or earlier
            long backlog = loop.backlog();
            boolean allBusy = backlog > 0 && wake(backlog) == 0;
            if (now - nextReport >= 0) {
                reporter.accept(now);
                nextReport += reportEveryNanos;
            }
            if (loop.settled().isDone()) {
                return true;
            }
            // the lanes are looked at every few milliseconds, not on every tick of a high rate
            if (now - nextOpenCheck >= 0) {
                if (!anyOpen()) {
                    // nothing can send or answer any more: waiting for the deadline would only hide why
                    return false;
                }
                nextOpenCheck = now + OPEN_CHECK_NANOS;
            }
            if (now - deadlineNanos >= 0) {
                return false;
            }
            if (allBusy) {
                sleepWhileBusy(Math.min(Math.min(nextReport, nextOpenCheck), deadlineNanos));
            } else {
                ticker.sleepUntil(Math.min(Math.min(loop.nextDueNanos(), nextReport), deadlineNanos));
            }
        }
    }

    /** Sleeps until {@code untilNanos}, or until a lane has room again. */
    private void sleepWhileBusy(long untilNanos) throws InterruptedException {
        loop.pacerSleeping(Thread.currentThread());
        try {
            // a lane that got room after the wake above did not see the pacer asleep: look again
            if (!anyRoom()) {
                loop.ticker().sleepUntil(untilNanos, this::anyRoom);
            }
        } finally {
            loop.pacerSleeping(null);
        }
    }

    private boolean anyRoom() {
        for (Lane lane : lanes) {
            if (lane.hasRoom()) {
                return true;
            }
        }
        return false;
    }

    /** True while some lane can still send. */
    boolean anyOpen() {
        for (Lane lane : lanes) {
            if (lane.isOpen()) {
                return true;
            }
        }
        return false;
    }

    /** Wakes up to {@code count} lanes that have room, each once, in turn; returns how many. */
    private long wake(long count) {
        int size = lanes.size();
        long woken = 0;
        for (int asked = 0; asked < size && woken < count; asked++) {
            Lane lane = lanes.get(nextLane);
            nextLane = (nextLane + 1) % size;
            if (lane.hasRoom()) {
                lane.wake();
                woken++;
            }
        }
        return woken;
    }
}
