package org.optline.core.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FairShareTest {
    @Test
    void campaignsThatFitGetTheirOwnPace() {
        assertThat(FairShare.allocate(100, Map.of("a", 10, "b", 20))).containsEntry("a", 10.0).containsEntry("b", 20.0);
    }

    @Test
    void whatTheSlowOnesLeaveIsSharedEquallyByTheFastOnes() {
        Map<String, Double> rates = FairShare.allocate(100, Map.of("slow", 10, "fast", 500, "faster", 1_000));
        assertThat(rates.get("slow")).isEqualTo(10.0);
        assertThat(rates.get("fast")).isCloseTo(45.0, within(1e-9));
        assertThat(rates.get("faster")).isCloseTo(45.0, within(1e-9));
        assertThat(rates.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(100.0, within(1e-9));
    }
}
