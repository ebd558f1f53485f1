package org.optline.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ArrivalScheduleTest {
    private static final long START = 5_000_000_000L;

    @Test
    void requestsAreDueAtEvenlySpacedIntendedTimes() {
        ArrivalSchedule schedule = ArrivalSchedule.of(START, 1_000, 10_000);
        assertThat(schedule.intendedNanos(0)).isEqualTo(START);
        assertThat(schedule.intendedNanos(1)).isEqualTo(START + 1_000_000);
        assertThat(schedule.intendedNanos(9_999)).isEqualTo(START + 9_999_000_000L);
        assertThat(schedule.lastNanos()).isEqualTo(START + 9_999_000_000L);
    }

    @Test
    void aRateWhoseIntervalIsNotWholeNanosecondsDoesNotDrift() {
        // 3 per second: 333 333 333.33 ns apart; adding rounded intervals would lose 1 ns a request
        ArrivalSchedule schedule = ArrivalSchedule.of(START, 3, 3_000_001);
        assertThat(schedule.intendedNanos(3)).isEqualTo(START + 1_000_000_000L);
        assertThat(schedule.intendedNanos(3_000_000)).isEqualTo(START + 1_000_000L * 1_000_000_000L);
    }

    @Test
    void dueCountsTheRequestsWhoseTimeHasCome() {
        ArrivalSchedule schedule = ArrivalSchedule.of(START, 1_000, 100);
        assertThat(schedule.dueAt(START - 1)).isZero();
        assertThat(schedule.dueAt(START)).isEqualTo(1);
        assertThat(schedule.dueAt(START + 999_999)).isEqualTo(1);
        assertThat(schedule.dueAt(START + 1_000_000)).isEqualTo(2);
        assertThat(schedule.dueAt(START + 50_500_000)).isEqualTo(51);
        assertThat(schedule.dueAt(Long.MAX_VALUE / 2)).isEqualTo(100);
    }

    @Test
    void dueAtAgreesWithTheIntendedTimesAtEveryBoundary() {
        ArrivalSchedule schedule = ArrivalSchedule.of(START, 7_777.7, 5_000);
        for (long i = 0; i < schedule.requests(); i++) {
            long intended = schedule.intendedNanos(i);
            assertThat(schedule.dueAt(intended)).as("due at request %d's time", i).isEqualTo(i + 1);
            assertThat(schedule.dueAt(intended - 1)).as("due just before request %d", i).isEqualTo(i);
        }
    }

    @Test
    void refusesANonPositiveRate() {
        assertThatThrownBy(() -> ArrivalSchedule.of(START, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ArrivalSchedule.of(START, Double.NaN, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
