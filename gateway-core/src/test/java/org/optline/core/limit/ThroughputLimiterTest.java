package org.optline.core.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optline.core.business.Business;
import org.optline.core.business.Credential;
import org.optline.core.business.Quality;
import org.optline.core.business.Tier;
import org.optline.core.testing.MutableClock;

class ThroughputLimiterTest {
    private final MutableClock clock = new MutableClock();
    private final ThroughputLimiter limiter = new ThroughputLimiter(clock);

    private static Business business(String id, int perSecond) {
        return new Business(id, List.of(Credential.ofSecret(id)), perSecond, Tier.UNLIMITED, Quality.GREEN, Map.of());
    }

    @Test
    void aBusinessMayBurstOneSecondOfItsThroughput() {
        Business bank = business("acme-bank", 5);

        assertThat(limiter.tryTake(bank, 8)).isEqualTo(5);
        assertThat(limiter.tryTake(bank, 1)).isZero();
    }

    @Test
    void eachBusinessHasItsOwnBucket() {
        Business bank = business("acme-bank", 5);
        Business airline = business("sky-air", 2);

        assertThat(limiter.tryTake(bank, 10)).isEqualTo(5);
        assertThat(limiter.tryTake(airline, 10)).isEqualTo(2);
        assertThat(limiter.tryTake(bank, 1)).isZero();
    }

    @Test
    void refillsAtTheBusinessThroughput() {
        Business bank = business("acme-bank", 5);
        limiter.tryTake(bank, 5);

        clock.advance(Duration.ofMillis(400));
        assertThat(limiter.tryTake(bank, 5)).isEqualTo(2);
        clock.advance(Duration.ofSeconds(10));
        assertThat(limiter.tryTake(bank, 50)).isEqualTo(5);
    }

    @Test
    void retryAfterSaysWhenTheNextMessageFits() {
        Business bank = business("acme-bank", 5);
        limiter.tryTake(bank, 5);

        assertThat(limiter.retryAfterMillis(bank)).isEqualTo(200);
        clock.advance(Duration.ofMillis(200));
        assertThat(limiter.tryTake(bank, 1)).isEqualTo(1);
    }
}
