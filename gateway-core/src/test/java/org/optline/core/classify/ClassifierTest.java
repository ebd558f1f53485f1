package org.optline.core.classify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.optline.core.message.Category;

/** The decision policy and its evidence, on the shipped model. */
class ClassifierTest {
    private final Classifier classifier = new Classifier();

    @ParameterizedTest
    @ValueSource(strings = {
            "Your verification code is 482913",
            "Acme Bank: your one-time code 4829. Do not share it.",
            "Use 4821 as your passcode",
            "Your OTP is 4410",
            "Your code is 123-456",
            "G-482913 is your verification code",
            "Your login code: A7K9Q2",
            "Your verification code is QX4R7T",
            "Your security code is 44 12 90",
            "Your one-time PIN is 8812. Do not share it.",
            "Votre code de vérification est 448192.",
            "Su código de verificación es 482913."})
    void oneTimeCodeDeclaredTransactionalIsAuthentication(String text) {
        Classification classification = classifier.classify(text, Category.TRANSACTIONAL);

        assertThat(classification.category()).as(text).isEqualTo(Category.AUTHENTICATION);
        assertThat(classification.spam()).isFalse();
        assertThat(classification.rule()).isEqualTo("one-time-code");
        assertThat(classification.explanation()).startsWith("reads as a one-time code: ")
                .contains("a one-time code next to the word");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Your balance is $1,234.56",
            "Your balance is 120.50 EUR",
            "Payment of 2500 received for card ending 1234",
            "Northwind: your card ending in 1234 was charged $48.20 at Shell, San Francisco CA 94107.",
            "Your order #48213 for 2 items will arrive at ZIP 30301 on Friday.",
            "Your package was delivered to 221B Baker St, London NW1 6XE.",
            "Your flight BA117 now departs at 18:40 from gate 22",
            "Flight UA883 to Denver departs 17:05 from gate C12. Confirmation code K7Q2XP.",
            "Your booking reference is ABX72Q. Check-in opens 24 hours before departure.",
            "Your account ending 4471 received a deposit of 2,500.00 USD.",
            "Your electricity bill of 64.20 EUR for account 7781223 is due on 20 May.",
            "Your appointment at 1250 Oak Street, suite 400, is on 12 June at 10:15.",
            "Your table for 4 is booked for 19:30. Booking number 552019.",
            "Your parcel 4400 1122 9981 is out for delivery.",
            "Your statement is ready at https://bank.example/statements",
            "Your booking at Hotel Lisboa is confirmed for 3 nights"})
    void alertWithNumbersDeclaredTransactionalStaysTransactional(String text) {
        Classification classification = classifier.classify(text, Category.TRANSACTIONAL);

        assertThat(classification).as(text)
                .isEqualTo(new Classification(Category.TRANSACTIONAL, false, "declared", java.util.List.of()));
        assertThat(classification.explanation()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Your invoice 2291 is ready and your balance is 120.00 EUR.",
            "Sign-in attempt from a new device in Madrid. If this was you, no action is needed.",
            "482913 is your one time passcode, do not share it"})
    void declaredAuthenticationWithoutSellingOrScamStaysAuthentication(String text) {
        assertThat(classifier.classify(text, Category.AUTHENTICATION).category()).as(text)
                .isEqualTo(Category.AUTHENTICATION);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Special offer: 20% off all loans this week",
            "Big sale this weekend: 20% off everything",
            "Enjoy 20 percent off your next stay with us.",
            "You left items in your cart! Complete your order today.",
            "Upgrade to Premium and get your first month free.",
            "Congratulations, you are pre-approved for our Platinum card. Apply in the app.",
            "Season's greetings from all of us at Fabrikam!",
            "Join our free webinar on investing next Thursday at 6 PM.",
            "Double points this weekend on every purchase!",
            "Our June newsletter is here with new recipes and store news."})
    void sellingTextDeclaredTransactionalIsMarketing(String text) {
        Classification classification = classifier.classify(text, Category.TRANSACTIONAL);

        assertThat(classification.category()).as(text).isEqualTo(Category.MARKETING);
        assertThat(classification.spam()).isFalse();
        assertThat(classification.explanation()).startsWith("reads as marketing: ").contains("selling words: \"");
    }

    @Test
    void priceCutIsNamedInTheEvidence() {
        assertThat(classifier.classify("Special offer: 20% off all loans this week", Category.TRANSACTIONAL)
                .evidence()).contains("a price cut").anySatisfy(item -> assertThat(item).startsWith("selling words: "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Your code is 448102. Enjoy 20% off your next order today!",
            "Your verification code is 551902, and 30% off your next order"})
    void aCodeWithAnOfferIsMarketingWhateverWasDeclared(String text) {
        assertThat(classifier.classify(text, Category.TRANSACTIONAL).category()).isEqualTo(Category.MARKETING);
        assertThat(classifier.classify(text, Category.AUTHENTICATION).category()).isEqualTo(Category.MARKETING);
    }

    @Test
    void declaredMarketingStaysMarketingWhateverItSays() {
        assertThat(classifier.classify("Your balance is $12.00", Category.MARKETING).category())
                .isEqualTo(Category.MARKETING);
        assertThat(classifier.classify("Your verification code is 482913", Category.MARKETING))
                .isEqualTo(new Classification(Category.MARKETING, false, "declared", java.util.List.of()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "PayPal: your account has been limited. Verify your identity at paypa1-secure.com to restore access.",
            "USPS: your package could not be delivered. Update your address at usps-redelivery.top",
            "E-ZPass: unpaid toll of $4.15. Pay now at ezpass-tollpay.com to avoid a late fee.",
            "HMRC: you are due a tax refund of 268 GBP. Claim at hmrc-refund.com",
            "IRS: you are eligible for a tax refund. Verify your identity at irs-refund.info",
            "DHL: your parcel is held. Pay the 2.99 EUR customs fee at dhl-customs.xyz",
            "Your bank: unusual sign-in detected. Verify at acme-secure-login.com",
            "Your Coinbase wallet was locked. Restore it at coinbase-restore.com",
            "You have won a free holiday! Call 1-900-555-0123 now.",
            "WINNER! Claim your 1000 prize now. Call 09061701461. 150p/min",
            "Free entry to win a car! Text WIN to 80082 now.",
            "Your statement is ready: bit.ly/3kQ9",
            "See your delivery details at tinyurl.com/abc123",
            "Congratulations! You have won 1,000,000 in our draw"})
    void phishingAndScamsAreSpamEvenDeclaredTransactional(String text) {
        Classification classification = classifier.classify(text, Category.TRANSACTIONAL);

        assertThat(classification.spam()).as(text).isTrue();
        assertThat(classification.rule()).isEqualTo("spam");
        assertThat(classification.category()).isEqualTo(Category.TRANSACTIONAL);
        assertThat(classification.explanation()).startsWith("reads as spam: ");
    }

    @Test
    void spamIsSpamWhateverTheDeclaredCategory() {
        assertThat(classifier.classify("Congratulations! You won a free iPhone. Claim at bit.ly/free-iphone",
                Category.MARKETING).spam()).isTrue();
        assertThat(classifier.classify("Your code is 4410. Verify your account at paypa1-secure.com",
                Category.AUTHENTICATION).spam()).isTrue();
    }

    @Test
    void evidenceNamesTheLookalikeDomainTheShortenerAndThePremiumRateNumber() {
        assertThat(classifier.classify("PayPal: your account has been limited. Verify at paypa1-secure.com",
                Category.TRANSACTIONAL).evidence()).contains("look-alike domain \"paypa1-secure.com\"");
        assertThat(classifier.classify("Your statement is ready: bit.ly/3kQ9", Category.TRANSACTIONAL).evidence())
                .contains("shortened link \"bit.ly\"");
        assertThat(classifier.classify("You have won a free holiday! Call 1-900-555-0123 now.",
                Category.TRANSACTIONAL).evidence()).contains("premium-rate number");
        assertThat(classifier.classify("Free entry to win a car! Text WIN to 80082 now.", Category.TRANSACTIONAL)
                .evidence()).contains("text-a-keyword short code");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "You have won a free holiday! Call 1-900-555-0123 now.",
            "WINNER! Claim your 1000 prize now. Call 09061701461. 150p/min",
            "URGENT! Your number 07700900123 won 2000. Call 09058094455 to claim",
            "Your account 55012398 is locked, verify at acme-verify.top"})
    void explanationNeverQuotesAPhoneNumberOrALongNumber(String text) {
        String explanation = classifier.classify(text, Category.TRANSACTIONAL).explanation();

        assertThat(explanation).isNotEmpty().doesNotContainPattern("\\d{5,}").doesNotContain("555");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Hello", "Hi", "ok", "Thanks!", "a text"})
    void aGreetingOfAWordOrTwoKeepsItsDeclaredCategory(String text) {
        assertThat(classifier.classify(text, Category.TRANSACTIONAL))
                .isEqualTo(new Classification(Category.TRANSACTIONAL, false, "declared", java.util.List.of()));
    }

    @Test
    void aShortTextWithALinkIsStillJudged() {
        assertThat(classifier.classify("bit.ly/3kQ9", Category.TRANSACTIONAL).spam()).isTrue();
    }

    @Test
    void declaredCategoryStandsForTextsTheModelHasNoOpinionAbout() {
        assertThat(classifier.classify("x".repeat(1_600), Category.TRANSACTIONAL).category())
                .isEqualTo(Category.TRANSACTIONAL);
        assertThat(classifier.classify("", Category.AUTHENTICATION).category()).isEqualTo(Category.AUTHENTICATION);
        assertThat(classifier.classify("a different text", Category.TRANSACTIONAL).spam()).isFalse();
    }
}
