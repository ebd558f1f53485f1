package org.optline.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongUnaryOperator;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * The rate controller and the latency accounting on a fake clock: what is checked here is
 * exact, because simulated time moves only when the pacer sleeps.
 */
class PacerTest {
    private static final long START = 1_000_000_000L;
    private static final long MS = 1_000_000L;

    private final FakeTicker ticker = new FakeTicker(0);
    private final Latencies latencies = new Latencies();

    @Test
    void sendsEveryRequestAtItsIntendedTimeForASetRate() throws InterruptedException {
        // 1 000 requests/s for 2 s; a lane that sends whatever it is woken for, at once
        OpenLoop loop = new OpenLoop(ArrivalSchedule.of(START, 1_000, 2_000), START, ticker, latencies);
        List<long[]> sent = new ArrayList<>();
        Lane lane = new Lane() {
            @Override
            public boolean hasRoom() {
                return true;
            }

            @Override
            public void wake() {
                for (long request = loop.claim(); request >= 0; request = loop.claim()) {
                    sent.add(new long[] {request, ticker.nanoTime()});
                    loop.answered(request);
                }
            }
        };
        boolean settled = new Pacer(loop, List.of(lane), 1_000 * MS, t -> { }).run(START + 10_000 * MS);

        assertThat(settled).isTrue();
        assertThat(sent).hasSize(2_000);
        for (int i = 0; i < sent.size(); i++) {
            assertThat(sent.get(i)[0]).isEqualTo(i);
            assertThat(sent.get(i)[1]).as("request %d sent at its intended time", i).isEqualTo(START + i * MS);
        }
        assertThat(ticker.nanoTime()).isEqualTo(START + 1_999 * MS);
    }

    @Test
    void aFractionalRateKeepsItsAverageOverALongRun() throws InterruptedException {
        OpenLoop loop = new OpenLoop(ArrivalSchedule.of(START, 333.3, 33_330), START, ticker, latencies);
        List<Long> times = new ArrayList<>();
        Lane lane = immediateLane(loop, times);
        new Pacer(loop, List.of(lane), 1_000 * MS, t -> { }).run(Long.MAX_VALUE / 2);

        assertThat(times).hasSize(33_330);
        // 33 330 requests at 333.3/s: the last is due 99.997 s after the first, to the nanosecond
        assertThat(times.get(times.size() - 1) - START).isEqualTo((long) Math.floor(33_329 * 1e9 / 333.3));
    }

    @Test
    void aServerStallCountsForEverySendThatWasDueDuringIt() throws InterruptedException {
        // 1 000 requests/s for 1 s, one connection with one request in flight, 0.5 ms answers;
        // from 300 ms to 500 ms the server answers nothing
        long stallFrom = START + 300 * MS;
        long stallUntil = START + 500 * MS;
        OpenLoop loop = new OpenLoop(ArrivalSchedule.of(START, 1_000, 1_000), START, ticker, latencies);
        SimulatedServer server = new SimulatedServer(loop, request -> MS / 2, stallFrom, stallUntil);
        boolean settled = new Pacer(loop, List.of(server), 1_000 * MS, t -> { }).run(START + 5_000 * MS);
        assertThat(settled).isTrue();

        Histogram measured = latencies.measured();
        assertThat(measured.getTotalCount()).isEqualTo(1_000);
        // request 300 was due as the stall began and could not be answered until it ended
        assertThat(server.latencyOf(300)).isGreaterThanOrEqualTo(200 * MS);
        // every request due during the stall waited at least until its end
        for (long request = 300; request < 500; request++) {
            long intended = loop.schedule().intendedNanos(request);
            assertThat(server.latencyOf(request)).as("request %d", request)
                    .isGreaterThanOrEqualTo(stallUntil - intended);
        }
        // 200 sends were due during the stall, and the backlog took as long again to clear, so
        // well over 1% of the run is slower than 100 ms: the p99 shows the stall
        assertThat(measured.getValueAtPercentile(99)).isGreaterThan(100 * MS);
        assertThat(measured.getMaxValue()).isGreaterThanOrEqualTo(200 * MS);
        // measured from the moment each request was actually sent, only one request would look slow
        assertThat(server.slowFromActualSend(100 * MS)).isEqualTo(1);
    }

    @Test
    void whenEveryConnectionIsLostTheRunStopsInsteadOfWaitingForTheDeadline() throws InterruptedException {
        OpenLoop loop = new OpenLoop(ArrivalSchedule.of(START, 1_000, 10_000), START, ticker, latencies);
        boolean[] open = {true};
        Lane lane = new Lane() {
            @Override
            public boolean hasRoom() {
                return open[0];
            }

            @Override
            public void wake() {
                // the connection drops with its first request in flight
                if (loop.claim() >= 0) {
                    open[0] = false;
                }
            }

            @Override
            public boolean isOpen() {
                return open[0];
            }
        };

        boolean settled = new Pacer(loop, List.of(lane), 1_000 * MS, t -> { }).run(START + 60_000 * MS);

        assertThat(settled).isFalse();
        assertThat(ticker.nanoTime()).as("stopped at once, not at the deadline").isLessThan(START + 10 * MS);
    }

    @Test
    void whileEveryLaneIsBusyThePacerSleepsAndAFreedLaneClaimsWhatIsDueItself() throws InterruptedException {
        // 1 000 requests/s for 1 s to one connection that takes 2 ms an answer: twice too much
        CountingTicker counting = new CountingTicker(ticker);
        OpenLoop loop = new OpenLoop(ArrivalSchedule.of(START, 1_000, 1_000), START, counting, latencies);
        SimulatedServer server = new SimulatedServer(loop, request -> 2 * MS, Long.MAX_VALUE, Long.MAX_VALUE);

        boolean settled = new Pacer(loop, List.of(server), 1_000 * MS, t -> { }).run(START + 10_000 * MS);

        assertThat(settled).isTrue();
        assertThat(latencies.measured().getTotalCount()).isEqualTo(1_000);
        // the connection was never idle: each answer's lane took the next request at once
        assertThat(server.latencyOf(999)).isEqualTo(START + 1_000 * 2 * MS - loop.schedule().intendedNanos(999));
        // a pacer that woke for every intended time would have slept 1 000 times
        assertThat(counting.sleeps()).isLessThan(250);
    }

    @Test
    void aLaneFreedWhileThePacerSleepsIsHandedTheNextRequestOnTime() throws InterruptedException {
        // the first 10 answers take 5 ms, so the pacer sleeps with the lane busy; later ones 0.1 ms
        OpenLoop loop = new OpenLoop(ArrivalSchedule.of(START, 1_000, 100), START, ticker, latencies);
        SimulatedServer server = new SimulatedServer(loop, request -> request < 10 ? 5 * MS : MS / 10,
                Long.MAX_VALUE, Long.MAX_VALUE);

        boolean settled = new Pacer(loop, List.of(server), 1_000 * MS, t -> { }).run(START + 10_000 * MS);

        assertThat(settled).isTrue();
        // the backlog of the slow start is gone by request 60: from then on, each goes out when due
        for (long request = 60; request < 100; request++) {
            assertThat(server.sentAt(request)).as("request %d", request)
                    .isEqualTo(loop.schedule().intendedNanos(request));
        }
    }

    private Lane immediateLane(OpenLoop loop, List<Long> times) {
        return new Lane() {
            @Override
            public boolean hasRoom() {
                return true;
            }

            @Override
            public void wake() {
                for (long request = loop.claim(); request >= 0; request = loop.claim()) {
                    times.add(ticker.nanoTime());
                    loop.answered(request);
                }
            }
        };
    }

    /** Counts the pacer's sleeps on the fake clock. */
    private static final class CountingTicker implements Ticker {
        private final FakeTicker clock;
        private int sleeps;

        CountingTicker(FakeTicker clock) {
            this.clock = clock;
        }

        int sleeps() {
            return sleeps;
        }

        @Override
        public long nanoTime() {
            return clock.nanoTime();
        }

        @Override
        public void sleepUntil(long deadlineNanos) {
            sleeps++;
            clock.sleepUntil(deadlineNanos);
        }

        @Override
        public void sleepUntil(long deadlineNanos, BooleanSupplier wakeWhen) {
            sleeps++;
            clock.sleepUntil(deadlineNanos, wakeWhen);
        }
    }

    /**
     * One connection with one request in flight to a server that answers after a fixed service
     * time, except that nothing is answered during a stall: what was in flight, and what was
     * sent, waits for its end.
     */
    private final class SimulatedServer implements Lane {
        private final OpenLoop loop;
        private final LongUnaryOperator serviceNanos;
        private final long stallFrom;
        private final long stallUntil;
        private final java.util.Map<Long, Long> latency = new java.util.HashMap<>();
        private final java.util.Map<Long, Long> sentAt = new java.util.HashMap<>();
        private long inFlight = -1;

        /** {@code serviceNanos} gives how long the server takes to answer each request. */
        SimulatedServer(OpenLoop loop, LongUnaryOperator serviceNanos, long stallFrom, long stallUntil) {
            this.loop = loop;
            this.serviceNanos = serviceNanos;
            this.stallFrom = stallFrom;
            this.stallUntil = stallUntil;
            ticker.world(this::answerAt);
        }

        @Override
        public boolean hasRoom() {
            return inFlight < 0;
        }

        @Override
        public void wake() {
            sendNext();
        }

        long latencyOf(long request) {
            return latency.get(request);
        }

        long sentAt(long request) {
            return sentAt.get(request);
        }

        long slowFromActualSend(long threshold) {
            return latency.keySet().stream()
                    .filter(r -> latency.get(r) - (sentAt.get(r) - loop.schedule().intendedNanos(r)) > threshold)
                    .count();
        }

        private void sendNext() {
            if (inFlight >= 0) {
                return;
            }
            long request = loop.claim();
            if (request < 0) {
                // as a real lane does: a pacer asleep while every lane was busy must hear of the room
                loop.idle();
                return;
            }
            inFlight = request;
            long now = ticker.nanoTime();
            sentAt.put(request, now);
            long answer = now + serviceNanos.applyAsLong(request);
            if (answer >= stallFrom && answer < stallUntil) {
                answer = stallUntil;
            }
            ticker.wakeAt(answer);
        }

        private void answerAt(long now) {
            long request = inFlight;
            inFlight = -1;
            loop.answered(request);
            latency.put(request, now - loop.schedule().intendedNanos(request));
            // the connection is free again: the lane claims the next due request itself
            sendNext();
        }
    }
}
