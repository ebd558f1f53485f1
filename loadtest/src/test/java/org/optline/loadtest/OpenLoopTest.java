package org.optline.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** Ten requests 1 ms apart; the first three are the warm-up. */
class OpenLoopTest {
    private static final long START = 1_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final long MEASURE_FROM = START + 3 * MS;

    /** A nanosecond before the first request is due: claim() looks at the clock too. */
    private final FakeTicker ticker = new FakeTicker(START - 1);
    private final Latencies latencies = new Latencies();
    private final OpenLoop loop = new OpenLoop(ArrivalSchedule.of(START, 1_000, 10), MEASURE_FROM, ticker, latencies);

    @Test
    void nothingIsHandedOutBeforeItIsDue() {
        assertThat(loop.claim()).isEqualTo(-1);
        assertThat(loop.advance(START - 1)).isZero();
        assertThat(loop.claim()).isEqualTo(-1);
        assertThat(loop.nextDueNanos()).isEqualTo(START);
    }

    @Test
    void aLaneClaimsWhatCameDueSinceThePacerLastLookedWithoutWaitingForIt() {
        ticker.sleepUntil(START + 2 * MS);

        assertThat(loop.claim()).isZero();
        assertThat(loop.claim()).isEqualTo(1);
        assertThat(loop.claim()).isEqualTo(2);
        assertThat(loop.claim()).as("request 3 is due at 3 ms").isEqualTo(-1);
        assertThat(loop.backlog()).isZero();
    }

    @Test
    void claimHandsOutEachDueRequestOnceInOrder() {
        assertThat(loop.advance(START)).isEqualTo(1);
        assertThat(loop.claim()).isZero();
        assertThat(loop.claim()).isEqualTo(-1);

        assertThat(loop.advance(START + 2 * MS)).isEqualTo(2);
        assertThat(loop.nextDueNanos()).isEqualTo(START + 3 * MS);
        assertThat(loop.claim()).isEqualTo(1);
        assertThat(loop.claim()).isEqualTo(2);
        assertThat(loop.claim()).isEqualTo(-1);
    }

    @Test
    void anEarlierTimeMakesNothingDueAgain() {
        loop.advance(START + 5 * MS);

        assertThat(loop.advance(START + MS)).isZero();
        assertThat(loop.backlog()).isEqualTo(6);
    }

    @Test
    void onceEveryRequestIsDueThereIsNoNextDueTime() {
        assertThat(loop.advance(START + 9 * MS)).isEqualTo(10);

        assertThat(loop.allDue()).isTrue();
        assertThat(loop.nextDueNanos()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void latencyCountsFromTheIntendedTimeAndWarmUpIsNotMeasured() throws InterruptedException {
        loop.advance(START + 9 * MS);
        long warmUp = loop.claim();
        loop.claim();
        loop.claim();
        long measured = loop.claim();

        ticker.sleepUntil(START + 5 * MS);
        loop.answered(warmUp);
        loop.answered(measured);

        Histogram all = latencies.sinceLastInterval();
        assertThat(all.getTotalCount()).isEqualTo(2);
        assertThat(all.getMaxValue()).isEqualTo(all.highestEquivalentValue(5 * MS));
        Histogram onlyMeasured = latencies.measured();
        assertThat(onlyMeasured.getTotalCount()).isEqualTo(1);
        // request 3 was due 3 ms after the start and answered at 5 ms
        assertThat(onlyMeasured.getMaxValue()).isEqualTo(onlyMeasured.highestEquivalentValue(2 * MS));
        assertThat(loop.lastAnswerNanos()).isEqualTo(START + 5 * MS);
    }

    @Test
    void warmUpOutcomesGoToTheWarmUpTally() {
        assertThat(loop.isMeasured(2)).isFalse();
        assertThat(loop.isMeasured(3)).isTrue();
        assertThat(loop.tally(0)).isSameAs(loop.warmUpTally());
        assertThat(loop.tally(2)).isSameAs(loop.warmUpTally());
        assertThat(loop.tally(3)).isSameAs(loop.measuredTally());
        assertThat(loop.tally(9)).isSameAs(loop.measuredTally());
        assertThat(loop.warmUpTally()).isNotSameAs(loop.measuredTally());
    }

    @Test
    void settledCompletesWhenEveryRequestIsSettled() {
        loop.advance(START + 9 * MS);
        for (int i = 0; i < 9; i++) {
            long request = loop.claim();
            if (request % 2 == 0) {
                loop.answered(request);
            } else {
                loop.unanswered(request);
            }
        }
        assertThat(loop.settled()).isNotDone();

        loop.answered(loop.claim());

        assertThat(loop.settled()).isDone();
    }

    @Test
    void afterStopSettledCompletesOnceWhatWasClaimedIsSettled() {
        loop.advance(START + 9 * MS);
        long first = loop.claim();
        long second = loop.claim();
        loop.answered(first);

        loop.stop();

        assertThat(loop.isStopped()).isTrue();
        assertThat(loop.claim()).as("nothing is handed out once stopped").isEqualTo(-1);
        assertThat(loop.settled()).isNotDone();
        loop.unanswered(second);
        assertThat(loop.settled()).isDone();
    }

    @Test
    void stoppingWithNothingInFlightSettlesAtOnce() {
        loop.advance(START + 9 * MS);

        loop.stop();

        assertThat(loop.settled()).isDone();
    }

    @Test
    void aScheduleWithoutRequestsIsSettledFromTheStart() {
        OpenLoop empty = new OpenLoop(ArrivalSchedule.of(START, 1_000, 0), START, ticker, latencies);

        assertThat(empty.settled()).isDone();
        assertThat(empty.allDue()).isTrue();
    }

    @Test
    void countsTheBacklogWhatIsInFlightAndWhatWasNeverSent() {
        loop.advance(START + 5 * MS);
        loop.claim();
        loop.claim();
        loop.answered(0);

        // six due, two claimed, one of them settled
        assertThat(loop.claimed()).isEqualTo(2);
        assertThat(loop.backlog()).isEqualTo(4);
        assertThat(loop.inFlight()).isEqualTo(1);
        assertThat(loop.notSent()).isEqualTo(8);
        // the measured part starts at request 3, none of it claimed yet
        assertThat(loop.measuredNotSent()).isEqualTo(7);

        for (int i = 0; i < 3; i++) {
            loop.claim();
        }

        assertThat(loop.backlog()).isEqualTo(1);
        assertThat(loop.inFlight()).isEqualTo(4);
        assertThat(loop.notSent()).isEqualTo(5);
        assertThat(loop.measuredNotSent()).isEqualTo(5);
    }

    @Test
    void theFirstMeasuredRequestIsTheFirstDueAtOrAfterTheWarmUp() {
        assertThat(loop.firstMeasuredRequest()).isEqualTo(3);
        assertThat(loopMeasuringFrom(START).firstMeasuredRequest()).isZero();
        assertThat(loopMeasuringFrom(START + 2 * MS + MS / 2).firstMeasuredRequest()).isEqualTo(3);
        assertThat(loopMeasuringFrom(START + 3 * MS + 1).firstMeasuredRequest()).isEqualTo(4);
        assertThat(loopMeasuringFrom(START + 60 * MS).firstMeasuredRequest()).isEqualTo(10);
        assertThat(loopMeasuringFrom(START + 60 * MS).measuredNotSent()).isZero();
    }

    private OpenLoop loopMeasuringFrom(long measureFromNanos) {
        return new OpenLoop(ArrivalSchedule.of(START, 1_000, 10), measureFromNanos, ticker, latencies);
    }
}
