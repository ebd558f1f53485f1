package org.optline.core.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.optline.core.business.Business;
import org.optline.core.business.Credential;
import org.optline.core.business.Quality;
import org.optline.core.business.Tier;
import org.optline.core.message.Category;
import org.optline.core.message.Reason;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.testing.MutableClock;

/**
 * The limits on a store, as a node runs them: counts reach the store only with the message that
 * made them (here, as the delivery log would: recorded, then settled), a node that starts again on
 * the same store refuses what the first refused, and the heap holds a bounded cache whatever the
 * number of recipients.
 */
class DurableAntiSpamLimitsTest {
    private static final AntiSpamPolicy SMALL_CACHE = new AntiSpamPolicy(5, 2, Duration.ofHours(24), 100);

    private final MutableClock clock = new MutableClock();
    private final HeapLimitStore store = new HeapLimitStore();
    private AntiSpamLimits limits = node();

    private AntiSpamLimits node() {
        return new AntiSpamLimits(SMALL_CACHE, clock, store, Standings.CONFIGURED);
    }

    /** A node stopped and started on the same store. */
    private void restart() {
        limits = node();
    }

    private static Business business(String id, Tier tier) {
        return new Business(id, List.of(Credential.ofSecret(id)), 1_000, tier, Quality.GREEN, Map.of());
    }

    private static PhoneNumber recipient(int n) {
        return PhoneNumber.parse(String.format("+1415555%04d", 1000 + n)).orElseThrow();
    }

    /** Admits a message and, when it passes, stores its counts with it as the delivery log does. */
    private Optional<Reason> send(Business business, PhoneNumber recipient, Category category, String text) {
        AntiSpamLimits.Verdict verdict = limits.admit(business, recipient, category, text);
        if (verdict.refusal().isEmpty()) {
            store.record(verdict.counts());
            verdict.settle();
        }
        return verdict.refusal();
    }

    private Optional<Reason> offer(Business business, PhoneNumber recipient, String text) {
        return send(business, recipient, Category.MARKETING, text);
    }

    private Optional<Reason> alert(Business business, PhoneNumber recipient) {
        return send(business, recipient, Category.TRANSACTIONAL, "Your balance is 10.00 EUR");
    }

    @Test
    void capsAndDuplicateContentHoldAcrossARestart() {
        Business shop = business("shop", Tier.UNLIMITED);
        PhoneNumber person = recipient(1);
        offer(shop, person, "Spring sale: 20% off");
        offer(shop, person, "Summer sale: 30% off");

        restart();

        assertThat(offer(shop, person, "Autumn sale")).contains(Reason.FREQUENCY_CAPPED);
        assertThat(offer(business("other", Tier.UNLIMITED), person, "Spring sale: 20% off")).isEmpty();
        clock.advance(Duration.ofHours(24));
        assertThat(offer(shop, person, "Spring sale: 20% off")).as("the window passed").isEmpty();
    }

    @Test
    void duplicateContentHoldsAcrossARestart() {
        Business shop = business("shop", Tier.UNLIMITED);
        offer(shop, recipient(1), "Spring sale: 20% off");

        restart();

        assertThat(offer(shop, recipient(1), "Spring sale: 20% off")).contains(Reason.DUPLICATE_CONTENT);
    }

    @Test
    void theTierHoldsAcrossARestartAndFreesExactlyWhenTheWindowPasses() {
        Business bank = business("bank", new Tier(2));
        alert(bank, recipient(1));
        clock.advance(Duration.ofHours(10));
        alert(bank, recipient(2));

        restart();

        assertThat(alert(bank, recipient(3))).contains(Reason.TIER_LIMIT_REACHED);
        assertThat(alert(bank, recipient(1))).as("already reached, and now contacted again").isEmpty();
        clock.advance(Duration.ofHours(14));
        assertThat(alert(bank, recipient(3))).as("recipient 1 was contacted again 14 h ago")
                .contains(Reason.TIER_LIMIT_REACHED);
        restart();
        clock.advance(Duration.ofHours(10).minusMillis(1));
        assertThat(alert(bank, recipient(3))).as("recipient 2's contact is 24 h old less a millisecond")
                .contains(Reason.TIER_LIMIT_REACHED);
        clock.advance(Duration.ofMillis(1));
        assertThat(alert(bank, recipient(3))).isEmpty();
    }

    @Test
    void countsNotYetStoredAreNotThereAfterARestart() {
        Business shop = business("shop", Tier.UNLIMITED);
        AntiSpamLimits.Verdict inFlight = limits.admit(shop, recipient(1), Category.MARKETING, "Spring sale");
        assertThat(inFlight.refusal()).isEmpty();

        restart();

        assertThat(offer(shop, recipient(1), "Spring sale")).as("its message was never acknowledged").isEmpty();
    }

    @Test
    void aReleasedCountIsTakenBackAndNeverStored() {
        Business bank = business("bank", new Tier(1));
        AntiSpamLimits.Verdict overloaded = limits.admit(bank, recipient(1), Category.MARKETING, "Spring sale");
        overloaded.release();

        assertThat(alert(bank, recipient(2))).as("recipient 1 took no place in the tier").isEmpty();
        assertThat(overloaded.counts().hasContact()).isTrue();
        assertThat(store.lastContact("bank", recipient(1))).isZero();
    }

    @Test
    void theHeapHoldsABoundedCacheWhateverTheNumberOfRecipients() {
        Business shop = business("shop", Tier.TIER_100K);
        PhoneNumber first = recipient(0);
        offer(shop, first, "Offer one");
        offer(shop, first, "Offer two");
        for (int n = 1; n <= 5_000; n++) {
            offer(shop, recipient(n), "Offer one");
        }

        assertThat(limits.cachedEntries()).as("two caches of 100 entries each").isLessThanOrEqualTo(200);
        assertThat(offer(shop, first, "Offer three")).as("read back from the store").contains(Reason.FREQUENCY_CAPPED);
        assertThat(offer(shop, recipient(17), "Offer one")).contains(Reason.DUPLICATE_CONTENT);
        assertThat(limits.reached("shop").inWindow()).isEqualTo(5_001);
    }

    @Test
    void aCountNotYetDurableIsNeverEvictedFromTheCache() {
        AntiSpamLimits tiny = new AntiSpamLimits(new AntiSpamPolicy(5, 2, Duration.ofHours(24), 1), clock, store,
                Standings.CONFIGURED);
        Business shop = business("shop", Tier.UNLIMITED);
        AntiSpamLimits.Verdict inFlight = tiny.admit(shop, recipient(1), Category.MARKETING, "Spring sale");
        for (int n = 2; n < 200; n++) {
            tiny.admit(shop, recipient(n), Category.MARKETING, "Spring sale").settle();
        }

        assertThat(tiny.admit(shop, recipient(1), Category.MARKETING, "Spring sale").refusal())
                .as("the store has not got it yet; the pinned cache entry has").contains(Reason.DUPLICATE_CONTENT);
        inFlight.release();
        assertThat(tiny.admit(shop, recipient(1), Category.MARKETING, "Spring sale").refusal()).isEmpty();
    }

    @Test
    void contactsAreForgottenOnceTheyLeaveTheReachWindow() {
        Business bank = business("bank", Tier.TIER_1K);
        limits.track(List.of("bank"));
        alert(bank, recipient(1));
        clock.advance(Duration.ofDays(1));
        alert(bank, recipient(2));
        assertThat(limits.reached("bank")).isEqualTo(new ContactCounts(1, 2));

        clock.advance(Duration.ofDays(6));
        limits.tick();

        assertThat(limits.reached("bank")).isEqualTo(new ContactCounts(0, 1));
        assertThat(store.lastContact("bank", recipient(1))).as("forgotten").isZero();
        assertThat(store.lastContact("bank", recipient(2))).as("still within 7 days").isPositive();
        assertThat(store.contacts("bank", null, Long.MAX_VALUE, 10)).hasSize(1);
    }

    @Test
    void theReachOfSevenDaysCountsARecipientOnceAndSurvivesARestart() {
        Business bank = business("bank", Tier.TIER_1K);
        for (int day = 0; day < 5; day++) {
            alert(bank, recipient(1));
            alert(bank, recipient(100 + day));
            clock.advance(Duration.ofDays(1));
        }
        restart();

        assertThat(limits.reached("bank")).isEqualTo(new ContactCounts(0, 6));
    }

    @Test
    void theBudgetSaysWhatEveryBusinessAndEachOneMayStillSend() {
        PhoneNumber person = recipient(1);
        offer(business("shop", Tier.UNLIMITED), person, "Offer one");
        clock.advance(Duration.ofHours(1));
        offer(business("shop", Tier.UNLIMITED), person, "Offer two");
        offer(business("airline", Tier.UNLIMITED), person, "Fly for less");
        restart();

        MarketingBudget budget = limits.budget(person);

        assertThat(budget.used()).isEqualTo(3);
        assertThat(budget.remaining()).isEqualTo(2);
        assertThat(budget.remainingFrom("shop")).isZero();
        assertThat(budget.remainingFrom("airline")).isEqualTo(1);
        assertThat(budget.remainingFrom("bakery")).isEqualTo(2);
        assertThat(budget.firstFreesAtMillis())
                .isEqualTo(clock.instant().minus(Duration.ofHours(1)).plus(Duration.ofHours(24)).toEpochMilli());
    }
}
