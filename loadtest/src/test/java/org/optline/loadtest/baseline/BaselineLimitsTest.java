package org.optline.loadtest.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.optline.core.admission.AdmissionPolicy;
import org.optline.server.config.GatewayConfig;

/** The baseline's limits follow the gateway's defaults, so that a client meets the same ones on both. */
class BaselineLimitsTest {
    @Test
    void everyLimitIsTheGatewaysDefault() {
        assertThat(Limits.MAX_FRAME_BYTES).isEqualTo(GatewayConfig.DEFAULT_MAX_FRAME_SIZE);
        assertThat(Limits.MAX_BODY_BYTES).isEqualTo(GatewayConfig.DEFAULT_MAX_BODY_SIZE);
        assertThat(Limits.MAX_INITIAL_LINE_BYTES).isEqualTo(GatewayConfig.DEFAULT_MAX_INITIAL_LINE_LENGTH);
        assertThat(Limits.MAX_HEADER_BYTES).isEqualTo(GatewayConfig.DEFAULT_MAX_HEADER_SIZE);
        assertThat(Limits.MAX_IN_FLIGHT).isEqualTo(GatewayConfig.DEFAULT_TCP_MAX_IN_FLIGHT);
        assertThat(Limits.MAX_BATCH_SIZE).isEqualTo(AdmissionPolicy.DEFAULT_MAX_BATCH_SIZE);
    }
}
