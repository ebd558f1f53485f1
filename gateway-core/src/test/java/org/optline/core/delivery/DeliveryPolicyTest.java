package org.optline.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optline.core.message.Category;

class DeliveryPolicyTest {
    private final DeliveryPolicy policy = DeliveryPolicy.DEFAULTS;

    @Test
    void aMessageWithoutTimeToLiveGetsItsCategorysDefault() {
        assertThat(policy.ttlSeconds(Category.AUTHENTICATION, 0)).isEqualTo(600);
        assertThat(policy.ttlSeconds(Category.TRANSACTIONAL, 0)).isEqualTo(86_400);
        assertThat(policy.ttlSeconds(Category.MARKETING, 0)).isEqualTo(604_800);
    }

    @Test
    void aLongerTimeToLiveIsCutToTheCategorysMaximumAndAShorterOneKept() {
        assertThat(policy.ttlSeconds(Category.AUTHENTICATION, 86_400)).isEqualTo(3_600);
        assertThat(policy.ttlSeconds(Category.AUTHENTICATION, 30)).isEqualTo(30);
        assertThat(policy.ttlSeconds(Category.TRANSACTIONAL, 604_800)).isEqualTo(604_800);
    }

    @Test
    void aLeaseIsTheDefaultWhenNotAskedAndNeverAboveTheMaximum() {
        assertThat(policy.lease(null)).isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.lease(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(5));
        assertThat(policy.lease(Duration.ofDays(2))).isEqualTo(Duration.ofHours(12));
    }

    @Test
    void aFailureReasonNeverCarriesANumberToTheSender() {
        assertThat(Settlement.failed("+14155550123 is unreachable").reason()).isEqualTo("••• is unreachable");
        assertThat(Settlement.failed("error 404").reason()).isEqualTo("error 404");
    }

    @Test
    void aDefaultAboveItsMaximumOrBelowAMinuteIsRefused() {
        Map<Category, Duration> max = DeliveryPolicy.DEFAULTS.maxTtl();
        assertThatIllegalArgumentException().isThrownBy(() -> new DeliveryPolicy(
                Map.of(Category.AUTHENTICATION, Duration.ofHours(2), Category.TRANSACTIONAL, Duration.ofHours(1),
                        Category.MARKETING, Duration.ofHours(1)), max, Duration.ofDays(7), Duration.ofSeconds(30),
                Duration.ofHours(1), Duration.ofSeconds(30)));
        assertThatIllegalArgumentException().isThrownBy(() -> new DeliveryPolicy(
                Map.of(Category.AUTHENTICATION, Duration.ofSeconds(10), Category.TRANSACTIONAL, Duration.ofHours(1),
                        Category.MARKETING, Duration.ofHours(1)), max, Duration.ofDays(7), Duration.ofSeconds(30),
                Duration.ofHours(1), Duration.ofSeconds(30)));
    }
}
