package org.optline.core.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.optline.core.message.Category;
import org.optline.core.message.Outcome;
import org.optline.core.message.Reason;
import org.optline.core.testing.MutableClock;

class IdempotencyWindowTest {
    private final MutableClock clock = new MutableClock();
    private final IdempotencyWindow window =
            new IdempotencyWindow(clock, IdempotencyWindow.DEFAULT_WINDOW);

    @Test
    void aRefusalEvictedFromASmallCacheIsStillFoundOnDisk() {
        Map<String, Outcome> disk = new ConcurrentHashMap<>();
        IdempotencyRecords records = new IdempotencyRecords() {
            @Override
            public CompletableFuture<Optional<Outcome>> find(String businessId, String clientMessageId) {
                return CompletableFuture.completedFuture(Optional.ofNullable(disk.get(businessId + "/" + clientMessageId)));
            }

            @Override
            public void recordRefusal(IdempotencyRecord refusal) {
                disk.put(refusal.businessId() + "/" + refusal.clientMessageId(), refusal.outcome());
            }
        };
        IdempotencyWindow small = new IdempotencyWindow(clock, IdempotencyWindow.DEFAULT_WINDOW, 10, records);
        CompletableFuture<Outcome> first = new CompletableFuture<>();
        small.claim("acme-bank", "m-refused", first).join();
        first.complete(Outcome.refused("m-refused", Reason.NOT_OPTED_IN, Category.MARKETING, false, "no opt-in"));
        // many newer decisions: the bounded cache drops the refusal long before the window ends
        for (int i = 0; i < 1_000; i++) {
            CompletableFuture<Outcome> other = new CompletableFuture<>();
            small.claim("acme-bank", "m-" + i, other).join();
            other.complete(Outcome.accepted("m-" + i, "id-" + i, Category.TRANSACTIONAL, false));
        }

        CompletableFuture<Outcome> retry = small.claim("acme-bank", "m-refused", new CompletableFuture<>()).join();

        assertThat(retry).isNotNull();
        assertThat(retry.join().reason()).isEqualTo(Reason.NOT_OPTED_IN);
    }

    @Test
    void firstClaimOfAKeyIsNew() {
        assertThat(window.claim("acme-bank", "m-1", new CompletableFuture<>()).join()).isNull();
    }

    @Test
    void secondClaimGetsTheFirstSubmissionsOutcome() {
        CompletableFuture<Outcome> first = new CompletableFuture<>();
        window.claim("acme-bank", "m-1", first).join();

        CompletableFuture<Outcome> earlier = window.claim("acme-bank", "m-1", new CompletableFuture<>()).join();

        assertThat(earlier).isSameAs(first);
    }

    @Test
    void outcomeCompletedAfterTheClaimReachesTheDuplicate() {
        CompletableFuture<Outcome> first = new CompletableFuture<>();
        window.claim("acme-bank", "m-1", first).join();
        CompletableFuture<Outcome> earlier = window.claim("acme-bank", "m-1", new CompletableFuture<>()).join();

        first.complete(Outcome.accepted("m-1", "id-1", Category.TRANSACTIONAL, false));

        assertThat(earlier).isCompletedWithValueMatching(outcome -> outcome.messageId().equals("id-1"));
    }

    @Test
    void keysAreScopedByBusiness() {
        window.claim("acme-bank", "m-1", new CompletableFuture<>()).join();

        assertThat(window.claim("sky-air", "m-1", new CompletableFuture<>()).join()).isNull();
        assertThat(window.claim("acme-bank", "m-2", new CompletableFuture<>()).join()).isNull();
    }

    @Test
    void releaseLetsTheNextClaimBeNew() {
        CompletableFuture<Outcome> first = new CompletableFuture<>();
        window.claim("acme-bank", "m-1", first).join();

        window.release("acme-bank", "m-1", first);

        CompletableFuture<Outcome> retry = new CompletableFuture<>();
        assertThat(window.claim("acme-bank", "m-1", retry).join()).isNull();
        assertThat(window.claim("acme-bank", "m-1", new CompletableFuture<>()).join()).isSameAs(retry);
    }

    @Test
    void releaseByAnotherSubmissionLeavesTheClaimInPlace() {
        CompletableFuture<Outcome> first = new CompletableFuture<>();
        window.claim("acme-bank", "m-1", first).join();

        window.release("acme-bank", "m-1", new CompletableFuture<>());

        assertThat(window.claim("acme-bank", "m-1", new CompletableFuture<>()).join()).isSameAs(first);
    }

    private static final Outcome DECIDED = Outcome.accepted("m-1", "id-1", Category.TRANSACTIONAL, false);

    @Test
    void aDecidedOutcomeExpiresAfterTheWindow() {
        window.claim("acme-bank", "m-1", CompletableFuture.completedFuture(DECIDED)).join();
        window.claim("acme-bank", "m-1", new CompletableFuture<>()).join();

        clock.advance(Duration.ofHours(24).minusMillis(1));
        assertThat(window.claim("acme-bank", "m-1", new CompletableFuture<>()).join().join()).isEqualTo(DECIDED);

        clock.advance(Duration.ofMillis(1));
        CompletableFuture<Outcome> afresh = new CompletableFuture<>();
        assertThat(window.claim("acme-bank", "m-1", afresh).join()).isNull();
        assertThat(window.claim("acme-bank", "m-1", new CompletableFuture<>()).join()).isSameAs(afresh);
    }

    @Test
    void aClaimStillBeingAdmittedDoesNotExpire() {
        CompletableFuture<Outcome> first = new CompletableFuture<>();
        window.claim("acme-bank", "m-1", first).join();

        clock.advance(Duration.ofHours(25));

        assertThat(window.claim("acme-bank", "m-1", new CompletableFuture<>()).join()).isSameAs(first);
    }

    @Test
    void windowIsMeasuredFromTheDecisionNotFromRetries() {
        CompletableFuture<Outcome> first = new CompletableFuture<>();
        window.claim("acme-bank", "m-1", first).join();
        first.complete(DECIDED);
        clock.advance(Duration.ofHours(23));
        window.claim("acme-bank", "m-1", new CompletableFuture<>()).join();

        clock.advance(Duration.ofHours(1));

        assertThat(window.claim("acme-bank", "m-1", new CompletableFuture<>()).join()).isNull();
    }

    @Test
    void windowLengthIsConfigurable() {
        IdempotencyWindow short_ = new IdempotencyWindow(clock, Duration.ofMinutes(5));
        CompletableFuture<Outcome> first = new CompletableFuture<>();
        short_.claim("acme-bank", "m-1", first).join();
        first.complete(DECIDED);

        clock.advance(Duration.ofMinutes(5));

        assertThat(short_.claim("acme-bank", "m-1", new CompletableFuture<>()).join()).isNull();
    }

    @Test
    void inMemoryTheWindowForgetsNoKeyBeforeItEndsHoweverManyCome() {
        for (int i = 0; i < 50_000; i++) {
            CompletableFuture<Outcome> outcome = new CompletableFuture<>();
            assertThat(window.claim("acme-bank", "k-" + i, outcome).join()).isNull();
            outcome.complete(Outcome.accepted("k-" + i, "m-" + i, Category.TRANSACTIONAL, false));
        }
        for (int i = 0; i < 50_000; i += 997) {
            CompletableFuture<Outcome> retry = window.claim("acme-bank", "k-" + i, new CompletableFuture<>()).join();
            assertThat(retry).as("key k-%d", i).isNotNull();
            assertThat(retry.join().messageId()).isEqualTo("m-" + i);
        }
    }
}
