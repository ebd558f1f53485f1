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

class AntiSpamLimitsTest {
    private static final Duration DAY = Duration.ofHours(24);

    private final MutableClock clock = new MutableClock();
    private final AntiSpamLimits limits = new AntiSpamLimits(AntiSpamPolicy.DEFAULTS, clock);

    private static Business business(String id, Tier tier, Quality quality) {
        return new Business(id, List.of(Credential.ofSecret(id)), 1_000, tier, quality, Map.of());
    }

    private static Business business(String id) {
        return business(id, Tier.UNLIMITED, Quality.GREEN);
    }

    private static PhoneNumber recipient(int n) {
        return PhoneNumber.parse(String.format("+1415555%04d", 100 + n)).orElseThrow();
    }

    private Optional<Reason> marketing(Business business, PhoneNumber recipient, String text) {
        return limits.admit(business, recipient, Category.MARKETING, text).refusal();
    }

    private Optional<Reason> alert(Business business, PhoneNumber recipient) {
        return limits.admit(business, recipient, Category.TRANSACTIONAL, "Your balance is $10").refusal();
    }

    @Test
    void redBusinessHasItsMarketingPaused() {
        Business red = business("red-shop", Tier.UNLIMITED, Quality.RED);

        assertThat(marketing(red, recipient(1), "20% off")).contains(Reason.BUSINESS_PAUSED);
    }

    @Test
    void redBusinessStillSendsTransactionalAndAuthentication() {
        Business red = business("red-bank", Tier.TIER_1K, Quality.RED);

        assertThat(alert(red, recipient(1))).isEmpty();
        assertThat(limits.admit(red, recipient(1), Category.AUTHENTICATION, "code 123456").refusal()).isEmpty();
    }

    @Test
    void yellowBusinessIsNotPaused() {
        Business yellow = business("yellow-shop", Tier.UNLIMITED, Quality.YELLOW);

        assertThat(marketing(yellow, recipient(1), "20% off")).isEmpty();
    }

    @Test
    void pausedMarketingDoesNotCountAgainstTheTier() {
        Business red = business("red-shop", new Tier(1), Quality.RED);

        assertThat(marketing(red, recipient(1), "20% off")).contains(Reason.BUSINESS_PAUSED);
        assertThat(alert(red, recipient(2))).isEmpty();
    }

    @Test
    void tierLimitCountsUniqueRecipients() {
        Business bank = business("acme-bank", new Tier(2), Quality.GREEN);

        assertThat(alert(bank, recipient(1))).isEmpty();
        assertThat(alert(bank, recipient(1))).isEmpty();
        assertThat(alert(bank, recipient(2))).isEmpty();
        assertThat(alert(bank, recipient(3))).contains(Reason.TIER_LIMIT_REACHED);
        assertThat(alert(bank, recipient(1))).as("a recipient already reached").isEmpty();
        assertThat(alert(bank, recipient(2))).as("a recipient already reached").isEmpty();
    }

    @Test
    void tierIsCountedPerBusiness() {
        Business bank = business("acme-bank", new Tier(1), Quality.GREEN);
        Business airline = business("sky-air", new Tier(1), Quality.GREEN);

        assertThat(alert(bank, recipient(1))).isEmpty();
        assertThat(alert(airline, recipient(2))).isEmpty();
        assertThat(alert(bank, recipient(2))).contains(Reason.TIER_LIMIT_REACHED);
    }

    @Test
    void tierFreesUpWhenARecipientsLastContactLeavesTheWindow() {
        Business bank = business("acme-bank", new Tier(2), Quality.GREEN);
        alert(bank, recipient(1));
        clock.advance(Duration.ofHours(10));
        alert(bank, recipient(2));
        assertThat(alert(bank, recipient(3))).contains(Reason.TIER_LIMIT_REACHED);

        clock.advance(Duration.ofHours(14).minusMillis(1));
        assertThat(alert(bank, recipient(3))).as("24 h minus 1 ms after the first contact")
                .contains(Reason.TIER_LIMIT_REACHED);
        clock.advance(Duration.ofMillis(1));
        assertThat(alert(bank, recipient(3))).isEmpty();
        assertThat(alert(bank, recipient(4))).as("recipient 2 is still in the window")
                .contains(Reason.TIER_LIMIT_REACHED);
    }

    @Test
    void aContactIsKeptToTheEndOfItsMinute() {
        long minute = Duration.ofMinutes(1).toMillis();

        assertThat(AntiSpamLimits.contactTime(5 * minute)).isEqualTo(5 * minute);
        assertThat(AntiSpamLimits.contactTime(5 * minute + 1)).isEqualTo(6 * minute);
        assertThat(AntiSpamLimits.contactTime(6 * minute - 1)).isEqualTo(6 * minute);
    }

    @Test
    void aRecipientContactedWithinAMinuteStaysInTheWindowToTheEndOfThatMinute() {
        Business bank = business("acme-bank", new Tier(1), Quality.GREEN);
        clock.advance(Duration.ofSeconds(7));
        alert(bank, recipient(1));

        clock.advance(DAY);
        assertThat(alert(bank, recipient(2))).as("24 h after 09:00:07: counted to 09:01:00")
                .contains(Reason.TIER_LIMIT_REACHED);
        clock.advance(Duration.ofSeconds(53));
        assertThat(alert(bank, recipient(2))).as("the next day at 09:01:00").isEmpty();
    }

    @Test
    void aFurtherMessageWithinTheMinuteOfADurableContactWritesNothing() {
        Business bank = business("acme-bank", new Tier(2), Quality.GREEN);
        clock.advance(Duration.ofSeconds(7));
        AntiSpamLimits.Verdict first = limits.admit(bank, recipient(1), Category.TRANSACTIONAL, "Your balance is $10");
        assertThat(first.counts().hasContact()).isTrue();
        first.settle();

        clock.advance(Duration.ofSeconds(20));
        AntiSpamLimits.Verdict second = limits.admit(bank, recipient(1), Category.TRANSACTIONAL, "Your balance is $9");
        assertThat(second.refusal()).isEmpty();
        assertThat(second.counts().isEmpty()).as("counted to the end of this minute already").isTrue();
        second.settle();
        AntiSpamLimits.Verdict third = limits.admit(bank, recipient(1), Category.TRANSACTIONAL, "Your balance is $8");
        assertThat(third.counts().isEmpty()).as("the second gave its pin back: the third writes nothing either")
                .isTrue();
        third.release();
        assertThat(alert(bank, recipient(2))).isEmpty();
        assertThat(alert(bank, recipient(3))).as("recipient 1 still counts after the third's release")
                .contains(Reason.TIER_LIMIT_REACHED);
    }

    @Test
    void aFurtherMessageWhileTheContactIsNotDurableYetWritesItAgain() {
        Business bank = business("acme-bank", new Tier(2), Quality.GREEN);
        AntiSpamLimits.Verdict first = limits.admit(bank, recipient(1), Category.TRANSACTIONAL, "Your balance is $10");

        AntiSpamLimits.Verdict second = limits.admit(bank, recipient(1), Category.TRANSACTIONAL, "Your balance is $9");

        assertThat(second.counts().hasContact()).as("the first may still fail: the second carries the contact")
                .isTrue();
        first.release();
        second.settle();
        assertThat(alert(bank, recipient(2))).isEmpty();
        assertThat(alert(bank, recipient(3))).as("recipient 1 counts through the second")
                .contains(Reason.TIER_LIMIT_REACHED);
    }

    @Test
    void aNewContactKeepsARecipientInTheWindow() {
        Business bank = business("acme-bank", new Tier(2), Quality.GREEN);
        alert(bank, recipient(1));
        alert(bank, recipient(2));
        clock.advance(Duration.ofHours(20));
        alert(bank, recipient(1));

        clock.advance(Duration.ofHours(5));
        assertThat(alert(bank, recipient(3))).as("recipient 2 left the window").isEmpty();
        assertThat(alert(bank, recipient(4))).as("recipient 1 was contacted again 5 h ago")
                .contains(Reason.TIER_LIMIT_REACHED);
    }

    @Test
    void unlimitedTierNeverRefuses() {
        Business bank = business("acme-bank");

        for (int n = 0; n < 50; n++) {
            assertThat(alert(bank, recipient(n))).isEmpty();
        }
    }

    @Test
    void frequencyCapPerBusinessRefusesTheThirdOfferOfTheDay() {
        Business shop = business("shop");
        PhoneNumber person = recipient(1);

        assertThat(marketing(shop, person, "Offer one")).isEmpty();
        assertThat(marketing(shop, person, "Offer two")).isEmpty();
        assertThat(marketing(shop, person, "Offer three")).contains(Reason.FREQUENCY_CAPPED);
        assertThat(marketing(shop, recipient(2), "Offer three")).as("another recipient").isEmpty();
    }

    @Test
    void frequencyCapAcrossBusinessesRefusesTheSixthOfferOfTheDay() {
        PhoneNumber person = recipient(1);
        for (int n = 1; n <= 5; n++) {
            assertThat(marketing(business("shop-" + n), person, "Offer " + n)).isEmpty();
        }

        assertThat(marketing(business("shop-6"), person, "Offer 6")).contains(Reason.FREQUENCY_CAPPED);
    }

    @Test
    void frequencyCapsFreeUpAfterTheWindow() {
        Business shop = business("shop");
        PhoneNumber person = recipient(1);
        marketing(shop, person, "Offer one");
        clock.advance(Duration.ofHours(12));
        marketing(shop, person, "Offer two");

        clock.advance(Duration.ofHours(12).minusMillis(1));
        assertThat(marketing(shop, person, "Offer three")).contains(Reason.FREQUENCY_CAPPED);
        clock.advance(Duration.ofMillis(1));
        assertThat(marketing(shop, person, "Offer three")).isEmpty();
        assertThat(marketing(shop, person, "Offer four")).as("offer two is still in the window")
                .contains(Reason.FREQUENCY_CAPPED);
    }

    @Test
    void transactionalMessagesAreNotFrequencyCapped() {
        Business bank = business("acme-bank");
        PhoneNumber person = recipient(1);

        for (int n = 0; n < 20; n++) {
            assertThat(alert(bank, person)).isEmpty();
        }
        assertThat(marketing(bank, person, "Offer one")).isEmpty();
    }

    @Test
    void sameMarketingTextToSameRecipientWithinADayIsDuplicateContent() {
        PhoneNumber person = recipient(1);

        assertThat(marketing(business("shop"), person, "Spring sale: 20% off")).isEmpty();
        assertThat(marketing(business("shop"), person, "Spring sale: 20% off")).contains(Reason.DUPLICATE_CONTENT);
        assertThat(marketing(business("other-shop"), person, "Spring sale: 20% off"))
                .as("the same text from another business: no business learns what another sent").isEmpty();
        assertThat(marketing(business("shop"), recipient(2), "Spring sale: 20% off"))
                .as("the same text to another recipient").isEmpty();
    }

    @Test
    void sameMarketingTextIsAllowedAgainAfterADay() {
        Business shop = business("shop");
        PhoneNumber person = recipient(1);
        marketing(shop, person, "Spring sale: 20% off");

        clock.advance(DAY.minusMillis(1));
        assertThat(marketing(shop, person, "Spring sale: 20% off")).contains(Reason.DUPLICATE_CONTENT);
        clock.advance(Duration.ofMillis(1));
        assertThat(marketing(shop, person, "Spring sale: 20% off")).isEmpty();
    }

    @Test
    void refusedMarketingDoesNotCountAgainstTheFrequencyCap() {
        Business shop = business("shop");
        PhoneNumber person = recipient(1);

        assertThat(marketing(shop, person, "Offer one")).isEmpty();
        assertThat(marketing(shop, person, "Offer one")).contains(Reason.DUPLICATE_CONTENT);
        assertThat(marketing(shop, person, "Offer one")).contains(Reason.DUPLICATE_CONTENT);
        assertThat(marketing(shop, person, "Offer two")).as("the duplicates did not count").isEmpty();
    }

    @Test
    void cappedMarketingDoesNotRecordItsText() {
        Business shop = business("shop");
        PhoneNumber person = recipient(1);
        marketing(shop, person, "Offer one");
        marketing(shop, person, "Offer two");
        assertThat(marketing(shop, person, "Offer three")).contains(Reason.FREQUENCY_CAPPED);

        assertThat(marketing(business("other-shop"), person, "Offer three")).as("not a duplicate").isEmpty();
    }

    @Test
    void refusedMessageDoesNotTakeARecipientSlotOfTheTier() {
        Business shop = business("shop", new Tier(2), Quality.GREEN);
        PhoneNumber capped = recipient(2);
        for (int n = 1; n <= 5; n++) {
            marketing(business("elsewhere-" + n), capped, "Offer " + n);
        }
        assertThat(marketing(shop, recipient(1), "Our offer")).isEmpty();

        assertThat(marketing(shop, capped, "Our offer")).contains(Reason.FREQUENCY_CAPPED);
        assertThat(alert(shop, recipient(3))).as("the capped recipient took no slot").isEmpty();
        assertThat(alert(shop, recipient(4))).contains(Reason.TIER_LIMIT_REACHED);
    }

    @Test
    void customPolicyCapsApply() {
        AntiSpamLimits strict = new AntiSpamLimits(new AntiSpamPolicy(1, 1, Duration.ofHours(1), 1_000), clock);
        Business shop = business("shop");
        PhoneNumber person = recipient(1);

        assertThat(strict.admit(shop, person, Category.MARKETING, "Offer one").refusal()).isEmpty();
        assertThat(strict.admit(business("other"), person, Category.MARKETING, "Offer two").refusal())
                .contains(Reason.FREQUENCY_CAPPED);
        clock.advance(Duration.ofHours(1));
        assertThat(strict.admit(business("other"), person, Category.MARKETING, "Offer two").refusal()).isEmpty();
    }
}
