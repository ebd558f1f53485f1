package org.optline.core.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.optline.core.admission.StageFixture.ALICE;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.optline.core.business.Business;
import org.optline.core.business.Quality;
import org.optline.core.business.Tier;
import org.optline.core.limit.AntiSpamLimits;
import org.optline.core.limit.AntiSpamPolicy;
import org.optline.core.limit.LimitStore;
import org.optline.core.limit.Standings;
import org.optline.core.storage.StorageFault;
import org.optline.core.storage.StorageUnavailableException;
import org.optline.core.message.Category;
import org.optline.core.message.Reason;
import org.optline.core.testing.MutableClock;

/** Stage 7 alone: each refusal with its reason, and a pass that counts and can be given back. */
class AntiSpamStageTest {
    private final MutableClock clock = new MutableClock();
    private final AntiSpamStage stage = new AntiSpamStage(new AntiSpamLimits(AntiSpamPolicy.DEFAULTS, clock));

    @Test
    void aPausedBusinessesMarketingIsRefusedAndItsAlertsPass() {
        Business red = StageFixture.business("red-shop", 100, Tier.UNLIMITED, Quality.RED);
        List<Candidate> batch = StageFixture.list(
                StageFixture.validated("alert", ALICE, Category.TRANSACTIONAL, "Your order shipped"),
                StageFixture.validated("offer", ALICE, Category.MARKETING, "20% off"));

        stage.apply(red, batch);

        assertThat(StageFixture.reasons(batch)).containsExactly(null, Reason.BUSINESS_PAUSED);
    }

    @Test
    void theSameMarketingTextTwiceIsDuplicateContentAndAPassCarriesItsCountsToGiveBack() {
        Business shop = StageFixture.bank();
        Candidate first = StageFixture.validated("o-1", ALICE, Category.MARKETING, "Spring sale");
        stage.apply(shop, List.of(first));
        assertThat(first.countedByLimits).isNotNull();

        Candidate again = StageFixture.validated("o-2", ALICE, Category.MARKETING, "Spring sale");
        stage.apply(shop, List.of(again));
        assertThat(again.outcome.join().reason()).isEqualTo(Reason.DUPLICATE_CONTENT);

        first.countedByLimits.release();
        Candidate retry = StageFixture.validated("o-3", ALICE, Category.MARKETING, "Spring sale");
        stage.apply(shop, List.of(retry));
        assertThat(retry.isDecided()).as("the released pass no longer counts").isFalse();
    }

    @Test
    void aStoreThatCannotBeReadFailsTheStageWithItsFault() {
        // A store whose every read fails as a damaged one does.
        LimitStore failing = (LimitStore) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {LimitStore.class}, (proxy, method, args) -> {
                    throw new StorageUnavailableException(StorageFault.CORRUPT, java.time.Duration.ofSeconds(60),
                            "the store is corrupt", null);
                });
        AntiSpamStage onFailingStore = new AntiSpamStage(new AntiSpamLimits(AntiSpamPolicy.DEFAULTS, clock, failing,
                Standings.CONFIGURED));
        Candidate offer = StageFixture.validated("o-1", ALICE, Category.MARKETING, "Spring sale");

        assertThat(onFailingStore.apply(StageFixture.bank(), List.of(offer)))
                .isCompletedExceptionally();
        assertThat(offer.isDecided()).as("left to the pipeline, which answers STORAGE_UNAVAILABLE").isFalse();
    }
}
