package org.optline.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatenciesTest {
    private static final long MS = 1_000_000L;

    @Test
    void whatSeveralThreadsRecordIsReadAsOneHistogram() throws InterruptedException {
        Latencies latencies = new Latencies();
        Thread fast = new Thread(() -> {
            for (int i = 0; i < 1_000; i++) {
                latencies.record(MS, true);
            }
        });
        Thread slow = new Thread(() -> {
            for (int i = 0; i < 500; i++) {
                latencies.record(100 * MS, i % 2 == 0);
            }
        });
        fast.start();
        slow.start();
        fast.join();
        slow.join();

        Histogram live = latencies.sinceLastInterval();
        Histogram measured = latencies.measured();

        assertThat(live.getTotalCount()).isEqualTo(1_500);
        assertThat(measured.getTotalCount()).isEqualTo(1_250);
        assertThat(measured.getMaxValue()).isBetween(99 * MS, 101 * MS);
        assertThat(latencies.sinceLastInterval().getTotalCount()).as("read and reset").isZero();
    }

    @Test
    void aLatencyBelowZeroFromAClockThatSteppedBackIsRecordedAsTheSmallest() {
        Latencies latencies = new Latencies();

        latencies.record(-5, true);

        assertThat(latencies.measured().getMinValue()).isEqualTo(1);
    }
}
