package org.optline.core.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.optline.core.admission.StageFixture.ALICE;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.optline.core.business.Business;
import org.optline.core.business.Quality;
import org.optline.core.business.Tier;
import org.optline.core.limit.ThroughputLimiter;
import org.optline.core.message.Category;
import org.optline.core.message.Reason;
import org.optline.core.testing.MutableClock;

/** Stage 2 alone: the first messages of a batch get the permits there are, the rest RATE_LIMITED. */
class ThroughputStageTest {
    private final MutableClock clock = new MutableClock();
    private final ThroughputStage stage = new ThroughputStage(new ThroughputLimiter(clock));
    private final Business slow = StageFixture.business("slow-bank", 2, Tier.UNLIMITED, Quality.GREEN);

    private static Candidate alert(String id) {
        return StageFixture.fresh(id, ALICE, Category.TRANSACTIONAL, "Your balance is 1 EUR");
    }

    @Test
    void theMessagesBeyondTheLimitAreRateLimitedWithARetryAfter() {
        List<Candidate> batch = StageFixture.list(alert("a"), alert("b"), alert("c"));

        assertThat(stage.apply(slow, batch)).isCompleted();

        assertThat(StageFixture.reasons(batch)).containsExactly(null, null, Reason.RATE_LIMITED);
        assertThat(batch.get(2).outcome.join().retryAfterMillis()).isPositive();
    }

    @Test
    void permitsComeBackWithTime() {
        stage.apply(slow, StageFixture.list(alert("a"), alert("b")));
        List<Candidate> next = StageFixture.list(alert("c"));
        stage.apply(slow, next);
        assertThat(StageFixture.reasons(next)).containsExactly(Reason.RATE_LIMITED);

        clock.advance(Duration.ofSeconds(1));
        List<Candidate> later = StageFixture.list(alert("d"));
        stage.apply(slow, later);
        assertThat(StageFixture.reasons(later)).containsOnlyNulls();
    }
}
