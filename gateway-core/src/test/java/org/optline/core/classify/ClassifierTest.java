package org.optline.core.classify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.optline.core.message.Category;

class ClassifierTest {
    private final Classifier classifier = new Classifier();

    @ParameterizedTest
    @ValueSource(strings = {
            "Your verification code is 482913",
            "Acme Bank: your one-time code 4829. Do not share it.",
            "481234 is your login code",
            "Use 4821 as your passcode",
            "OTP: 55123901"})
    void oneTimeCodeIsAuthentication(String text) {
        Classification classification = classifier.classify(text, Category.TRANSACTIONAL);

        assertThat(classification.category()).isEqualTo(Category.AUTHENTICATION);
        assertThat(classification.spam()).isFalse();
        assertThat(classification.rule()).isEqualTo("one-time-code");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Big sale this weekend: 20% off everything",
            "A special offer just for you",
            "Get a 10 % off coupon with your next order",
            "Save 50 on your next flight, limited time",
            "Subscribe to our newsletter",
            "Shop now and get a free gift",
            "Enjoy 5% cashback on groceries"})
    void offerOrDiscountWordingDeclaredTransactionalIsMarketing(String text) {
        Classification classification = classifier.classify(text, Category.TRANSACTIONAL);

        assertThat(classification.category()).isEqualTo(Category.MARKETING);
        assertThat(classification.spam()).isFalse();
        assertThat(classification.rule()).isEqualTo("selling-words");
    }

    @Test
    void sellingWordsWinOverACodeInTheSameText() {
        assertThat(classifier.classify("Use code 2024 for 20% off", Category.AUTHENTICATION).category())
                .isEqualTo(Category.MARKETING);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Your balance is $1,234.56",
            "Payment of 2500 received for card ending 1234",
            "Your flight BA117 now departs at 18:40 from gate 22",
            "Your parcel was delivered at 14:02",
            "Your booking at Hotel Lisboa is confirmed for 3 nights"})
    void plainAlertDeclaredTransactionalStaysTransactional(String text) {
        Classification classification = classifier.classify(text, Category.TRANSACTIONAL);

        assertThat(classification.category()).isEqualTo(Category.TRANSACTIONAL);
        assertThat(classification.spam()).isFalse();
    }

    @Test
    void declaredMarketingStaysMarketingWhateverItSays() {
        assertThat(classifier.classify("Your balance is $12.00", Category.MARKETING).category())
                .isEqualTo(Category.MARKETING);
        assertThat(classifier.classify("Your verification code is 482913", Category.MARKETING).category())
                .isEqualTo(Category.MARKETING);
    }

    @Test
    void declaredAuthenticationWithoutSellingWordsStaysAuthentication() {
        assertThat(classifier.classify("Sign-in attempt from a new device", Category.AUTHENTICATION).category())
                .isEqualTo(Category.AUTHENTICATION);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Congratulations! You have won 1,000,000 in our draw",
            "You've won an iPhone, reply now",
            "You are the winner of our monthly lottery",
            "Claim your prize before midnight"})
    void lotteryIsSpam(String text) {
        assertSpam(text, Category.TRANSACTIONAL, "lottery");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Your statement is ready: bit.ly/3xYzAb",
            "Track your parcel at https://tinyurl.com/abc123",
            "See details t.co/Zz9",
            "Go to cutt.ly/foo now"})
    void linkShortenerIsSpam(String text) {
        assertSpam(text, Category.TRANSACTIONAL, "link-shortener");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Please verify your account now at https://acme-bank.example.co/login",
            "Unlock your card details here: www.secure-acme.example",
            "Confirm your PIN within 24h: http://acme.example/pin"})
    void phishingIsSpam(String text) {
        assertSpam(text, Category.TRANSACTIONAL, "phishing");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Your refund is on its way; you won't be charged twice.",
            "Update: your account statement for March is ready at https://acme-bank.example/statements",
            "Your card was blocked at your request. Details in the app."})
    void ordinaryBankMessagesThatBrushAgainstScamWordsAreNotSpam(String text) {
        Classification classification = classifier.classify(text, Category.TRANSACTIONAL);
        assertThat(classification.spam()).as(classification.rule()).isFalse();
    }

    @Test
    void aThreatToTheAccountWithALinkIsPhishing() {
        assertSpam("Your account has been suspended, restore it at https://acme.example.co", Category.TRANSACTIONAL,
                "phishing");
    }

    @Test
    void advanceFeeIsSpam() {
        assertSpam("To receive the funds, send the processing fee today", Category.TRANSACTIONAL, "advance-fee");
    }

    @Test
    void spamIsSpamWhateverTheDeclaredCategory() {
        assertSpam("Claim your prize at bit.ly/free", Category.MARKETING, "lottery");
        assertSpam("Your code 4821 — verify your account at https://x.example", Category.AUTHENTICATION, "phishing");
    }

    @Test
    void rulesIgnoreCase() {
        assertThat(classifier.classify("HUGE SALE TODAY", Category.TRANSACTIONAL).category())
                .isEqualTo(Category.MARKETING);
        assertSpam("YOU HAVE WON A PRIZE", Category.TRANSACTIONAL, "lottery");
    }

    @Test
    void sellingWordsInsideOtherWordsDoNotCount() {
        assertThat(classifier.classify("Your wholesale order has shipped", Category.TRANSACTIONAL).category())
                .isEqualTo(Category.TRANSACTIONAL);
        assertThat(classifier.classify("The dealer confirmed your appointment", Category.TRANSACTIONAL).category())
                .isEqualTo(Category.TRANSACTIONAL);
    }

    private void assertSpam(String text, Category declared, String rule) {
        Classification classification = classifier.classify(text, declared);

        assertThat(classification.spam()).as("spam: %s", text).isTrue();
        assertThat(classification.rule()).isEqualTo(rule);
        assertThat(classification.category()).isEqualTo(declared);
    }
}
