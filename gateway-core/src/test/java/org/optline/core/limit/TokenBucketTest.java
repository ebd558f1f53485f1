package org.optline.core.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.optline.core.testing.MutableClock;

class TokenBucketTest {
    private final MutableClock clock = new MutableClock();

    @Test
    void startsFullSoAWholeBurstPassesAtOnce() {
        TokenBucket bucket = new TokenBucket(clock, 10, 10);

        assertThat(bucket.tryTake(10)).isEqualTo(10);
        assertThat(bucket.tryTake(1)).isZero();
    }

    @Test
    void grantsOnlyWhatIsLeftOfALargerRequest() {
        TokenBucket bucket = new TokenBucket(clock, 10, 10);

        assertThat(bucket.tryTake(4)).isEqualTo(4);
        assertThat(bucket.tryTake(15)).isEqualTo(6);
        assertThat(bucket.tryTake(15)).isZero();
    }

    @Test
    void refillsAtItsRate() {
        TokenBucket bucket = new TokenBucket(clock, 10, 10);
        bucket.tryTake(10);

        clock.advance(Duration.ofMillis(99));
        assertThat(bucket.tryTake(1)).isZero();
        clock.advance(Duration.ofMillis(1));
        assertThat(bucket.tryTake(5)).isEqualTo(1);
        clock.advance(Duration.ofMillis(350));
        assertThat(bucket.tryTake(5)).isEqualTo(3);
    }

    @Test
    void fractionsOfATokenAccumulate() {
        TokenBucket bucket = new TokenBucket(clock, 10, 10);
        bucket.tryTake(10);

        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofMillis(30));
            assertThat(bucket.tryTake(1)).isZero();
        }
        clock.advance(Duration.ofMillis(30));
        assertThat(bucket.tryTake(1)).isEqualTo(1);
    }

    @Test
    void neverHoldsMoreThanTheBurst() {
        TokenBucket bucket = new TokenBucket(clock, 10, 3);
        clock.advance(Duration.ofHours(1));

        assertThat(bucket.tryTake(100)).isEqualTo(3);
    }

    @Test
    void retryAfterIsTheTimeUntilTheNextToken() {
        TokenBucket bucket = new TokenBucket(clock, 10, 10);
        bucket.tryTake(10);

        assertThat(bucket.millisUntilNextToken()).isEqualTo(100);
        clock.advance(Duration.ofMillis(40));
        assertThat(bucket.millisUntilNextToken()).isEqualTo(60);
    }

    @Test
    void retryAfterRoundsUpSoThatTheTokenIsThere() {
        TokenBucket bucket = new TokenBucket(clock, 3, 3);
        bucket.tryTake(3);

        long retryAfter = bucket.millisUntilNextToken();
        assertThat(retryAfter).isEqualTo(334);
        clock.advance(Duration.ofMillis(retryAfter - 1));
        assertThat(bucket.tryTake(1)).isZero();
        clock.advance(Duration.ofMillis(1));
        assertThat(bucket.tryTake(1)).isEqualTo(1);
    }

    @Test
    void retryAfterIsOneMillisecondWhenATokenIsAlreadyThere() {
        TokenBucket bucket = new TokenBucket(clock, 10, 10);

        assertThat(bucket.millisUntilNextToken()).isEqualTo(1);
    }

    @Test
    void clockGoingBackDoesNotAddTokens() {
        TokenBucket bucket = new TokenBucket(clock, 10, 10);
        bucket.tryTake(10);

        clock.advance(Duration.ofSeconds(-5));
        assertThat(bucket.tryTake(1)).isZero();
    }

    @Test
    void rateAndBurstMustBePositive() {
        assertThatIllegalArgumentException().isThrownBy(() -> new TokenBucket(clock, 0, 10));
        assertThatIllegalArgumentException().isThrownBy(() -> new TokenBucket(clock, 10, 0));
    }
}
