package org.optline.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class SloTest {
    private static final long MS = 1_000_000L;

    @Test
    void parsesAPercentileBelowABoundInMilliseconds() {
        assertThat(Slo.parse("p99<5ms")).isEqualTo(new Slo(99, 5 * MS, false));
    }

    @Test
    void parsesAFractionalPercentileWithAnInclusiveBound() {
        assertThat(Slo.parse("p99.9<=20ms")).isEqualTo(new Slo(99.9, 20 * MS, true));
    }

    @Test
    void parsesTheMaximumInSeconds() {
        assertThat(Slo.parse("max<1s")).isEqualTo(new Slo(100, 1_000 * MS, false));
    }

    @Test
    void parsesMicroseconds() {
        assertThat(Slo.parse("p50<500us")).isEqualTo(new Slo(50, 500_000, false));
        assertThat(Slo.parse("p50<500µs")).isEqualTo(new Slo(50, 500_000, false));
    }

    @Test
    void toleratesSpacesAndUpperCase() {
        assertThat(Slo.parse("  P99 <= 2.5 MS ")).isEqualTo(new Slo(99, 2_500_000, true));
        assertThat(Slo.parse("MAX < 1S")).isEqualTo(new Slo(100, 1_000 * MS, false));
    }

    @Test
    void refusesGarbage() {
        for (String text : new String[] {"", "p99", "p99<5", "p99>5ms", "p99<5min", "fast", "p99<-5ms"}) {
            assertThatThrownBy(() -> Slo.parse(text)).as(text)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--slo");
        }
    }

    @Test
    void refusesPercentilesOutsideZeroToHundred() {
        assertThatThrownBy(() -> Slo.parse("p0<5ms"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("percentile");
        assertThatThrownBy(() -> Slo.parse("p101<5ms")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesABoundOfZero() {
        assertThatThrownBy(() -> Slo.parse("p99<0ms"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    }

    @Test
    void describeReadsBackNormalised() {
        assertThat(Slo.parse("P99.9 <= 20MS").describe()).isEqualTo("p99.9<=20.0ms");
        assertThat(Slo.parse("max<1s").describe()).isEqualTo("max<1000ms");
    }

    @Test
    void aStrictBoundIsHeldOnlyBelowItAndAnInclusiveOneAlsoAtIt() {
        // values below 2 048 ns are exact in a histogram of three significant digits
        Histogram latencies = new Histogram(Latencies.SIGNIFICANT_DIGITS);
        for (int i = 0; i < 99; i++) {
            latencies.recordValue(1_000);
        }
        latencies.recordValue(2_000);

        assertThat(new Slo(99, 1_000, false).heldBy(latencies)).isFalse();
        assertThat(new Slo(99, 1_000, true).heldBy(latencies)).isTrue();
        assertThat(new Slo(99, 1_001, false).heldBy(latencies)).isTrue();
        assertThat(new Slo(99, 999, true).heldBy(latencies)).isFalse();
        assertThat(new Slo(100, 2_000, true).heldBy(latencies)).isTrue();
        assertThat(new Slo(100, 2_000, false).heldBy(latencies)).isFalse();
        assertThat(new Slo(99.9, 1_500, true).heldBy(latencies)).isFalse();
    }

    @Test
    void parsedBoundsAreCheckedAgainstTheRightPercentile() {
        Histogram latencies = new Histogram(Latencies.SIGNIFICANT_DIGITS);
        for (int i = 0; i < 99; i++) {
            latencies.recordValue(1 * MS);
        }
        latencies.recordValue(10 * MS);

        assertThat(Slo.parse("p50<2ms").heldBy(latencies)).isTrue();
        assertThat(Slo.parse("p99<2ms").heldBy(latencies)).isTrue();
        assertThat(Slo.parse("p99.9<2ms").heldBy(latencies)).isFalse();
        assertThat(Slo.parse("max<5ms").heldBy(latencies)).isFalse();
        assertThat(Slo.parse("max<=11ms").heldBy(latencies)).isTrue();
    }

    @Test
    void anEmptyHistogramHoldsNothing() {
        Histogram empty = new Histogram(Latencies.SIGNIFICANT_DIGITS);

        assertThat(Slo.parse("max<1s").heldBy(empty)).isFalse();
        assertThat(Slo.parse("p50<=1000s").heldBy(empty)).isFalse();
    }
}
