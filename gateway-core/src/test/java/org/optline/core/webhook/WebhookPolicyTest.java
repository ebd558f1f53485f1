package org.optline.core.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookPolicyTest {
    private final WebhookPolicy policy = WebhookPolicy.DEFAULTS;

    @Test
    void theBackOffDoublesWithEachFailureUpToItsCapWithHalfOfItRandom() {
        assertThat(policy.backoff(1, 0)).isEqualTo(Duration.ofMillis(500));
        assertThat(policy.backoff(1, 0.999)).isBetween(Duration.ofMillis(999), Duration.ofSeconds(1));
        assertThat(policy.backoff(2, 0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.backoff(4, 0)).isEqualTo(Duration.ofSeconds(4));
        assertThat(policy.backoff(11, 0)).isEqualTo(Duration.ofMinutes(5));
        assertThat(policy.backoff(60, 0.999)).isBetween(Duration.ofMinutes(9), Duration.ofMinutes(10));
    }

    @Test
    void theDefaultAttemptsSpanOneToTwoHours() {
        Duration least = Duration.ZERO;
        for (int failure = 1; failure < policy.maxAttempts(); failure++) {
            least = least.plus(policy.backoff(failure, 0));
        }
        assertThat(least).isBetween(Duration.ofMinutes(50), Duration.ofMinutes(60));
    }

    @Test
    void aSignatureIsTheHmacOfTheTimestampAndTheBodyWithEverySecret() {
        var now = Instant.parse("2025-03-01T09:00:00Z");
        String header = WebhookSignature.header(1_740_819_600L, "{}".getBytes(),
                List.of(new WebhookSecret("a", "whsec_a", now, null), new WebhookSecret("b", "whsec_b", now, now)));
        // Computed independently: printf '1740819600.{}' | openssl dgst -sha256 -hmac whsec_a
        assertThat(header).startsWith("t=1740819600,v1=3113e8c6c9b7e43735b4298baaa68fe8f05244340dce7029ebdffbbf21918ff8")
                .contains(",v1=" + WebhookSignature.sign("whsec_b", 1_740_819_600L, "{}".getBytes()));
        assertThat(header.split(",")).hasSize(3);
    }
}
