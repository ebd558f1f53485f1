package org.optline.core.classify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.optline.core.classify.Tokens.Shape;
import org.optline.core.message.Category;

/** The disguises spam uses are undone: a disguised text reads as the plain one. */
class EvasionTest {
    private static final Vocabulary WORDS = Vocabulary.of(List.of("free", "offer", "prize", "claim", "cash",
            "paypal", "win", "account", "special", "you", "have", "won", "a"));
    private final Tokeniser tokeniser = new Tokeniser(WORDS);
    private final Classifier classifier = new Classifier();

    private List<String> words(String text) {
        Tokens tokens = tokeniser.read(text);
        List<String> words = new ArrayList<>();
        for (int i = 0; i < tokens.count; i++) {
            words.add(tokens.kind[i] == Tokens.NUMBER ? tokens.shape[i].symbol
                    : tokens.kind[i] == Tokens.PHONE ? "<phone>" : tokens.text(i));
        }
        return words;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "fr33 0ffer|free offer",
            "FR33 PR1ZE|free prize",
            "ca$h pr!ze|cash prize",
            "cl4im|claim",
            "f r e e  p r i z e|free prize",
            "F-R-E-E|free",
            "o.f.f.e.r|offer",
            "freeeee offerrr|free offer",
            "\uff26\uff32\uff25\uff25 \uff30\uff32\uff29\uff3a\uff25|free prize",
            "fr\u200bee off\u200cer|free offer",
            "\u0440\u0430\u0443\u0440\u0430l \u0430cc\u043eunt|paypal account",
            "\u0392\u039f\u039dUS prize|bonus prize",
            "fr\u00e9\u00e9 pr\u00efze|free prize",
            "\ud835\udc1f\ud835\udc2b\ud835\udc1e\ud835\udc1e|free"})
    void disguisedWordsReadAsTheWord(String disguised, String plain) {
        assertThat(String.join(" ", words(disguised))).isEqualTo(plain);
    }

    @Test
    void genuineCyrillicTextIsLeftAlone() {
        assertThat(words("\u0412\u0430\u0448 \u0437\u0430\u043a\u0430\u0437 \u0434\u043e\u0441\u0442\u0430\u0432\u043b\u0435\u043d"))
                .containsExactly("\u0432\u0430\u0448", "\u0437\u0430\u043a\u0430\u0437", "\u0434\u043e\u0441\u0442\u0430\u0432\u043b\u0435\u043d");
    }

    @Test
    void percentInWordsIsAPercentage() {
        assertThat(words("20 percent off")).containsExactly("<pct>", "off");
        assertThat(words("20 per cent off")).containsExactly("<pct>", "off");
        assertThat(words("20% off")).containsExactly("<pct>", "off");
    }

    @Test
    void codesKeepTheirShapeAndAreNotReadAsWords() {
        assertThat(words("482913 or 123-456 or 123 456 G-482913 A7K9Q2 BA117 94107 1234"))
                .containsExactly(Shape.DIGITS_6.symbol, "or", Shape.SPLIT_CODE.symbol, "or", Shape.SPLIT_CODE.symbol,
                        Shape.PREFIXED_CODE.symbol, Shape.MIXED_CODE.symbol, Shape.LETTERS_DIGITS.symbol,
                        Shape.DIGITS_5.symbol, Shape.DIGITS_4.symbol);
        assertThat(words("$1,234.56 120.50 EUR 18:45 14/03/2025 150p"))
                .containsExactly(Shape.MONEY.symbol, Shape.MONEY.symbol, "eur", Shape.TIME.symbol, Shape.DATE.symbol,
                        Shape.PENCE.symbol);
    }

    @Test
    void phoneNumbersAreKeptWholeAcrossTheirSpaces() {
        assertThat(words("call 0906 170 1461 now")).containsExactly("call", "<phone>", "now");
        assertThat(words("call 1-900-555-0199")).containsExactly("call", "<phone>");
        assertThat(words("call +44 7700 900123")).containsExactly("call", "<phone>");
    }

    @Test
    void linksAreFoundWithAndWithoutScheme() {
        for (String link : List.of("https://paypa1-secure.com/login", "http://paypa1-secure.com", "www.paypa1-secure.com",
                "paypa1-secure.com", "paypa1-secure.com/login?x=1", "(paypa1-secure.com).")) {
            Tokens tokens = tokeniser.read("verify at " + link);
            assertThat(tokens.kind[2]).as(link).isEqualTo(Tokens.LINK);
            assertThat(tokens.host(2)).as(link).isIn("paypa1-secure.com", "www.paypa1-secure.com");
            assertThat(tokens.scheme[2]).as(link).isEqualTo(link.startsWith("http"));
        }
        assertThat(words("e.g. a.m. 1,234.56 Mr.Smith")).doesNotContain("<link>");
    }

    @Test
    void lookalikeDomainsAreTheBrandsNameOnSomeoneElsesSite() {
        assertThat(FeatureExtractor.isLookalike("paypa1-secure.com")).isTrue();
        assertThat(FeatureExtractor.isLookalike("paypa1.com")).isTrue();
        assertThat(FeatureExtractor.isLookalike("paypal.com.secure-login.xyz")).isTrue();
        assertThat(FeatureExtractor.isLookalike("usps-redelivery.top")).isTrue();
        assertThat(FeatureExtractor.isLookalike("e-zpass-pay.top")).isFalse();
        assertThat(FeatureExtractor.isLookalike("ezpass-tollpay.com")).isTrue();
        assertThat(FeatureExtractor.isLookalike("irs-gov-refund.com")).isTrue();
        assertThat(FeatureExtractor.isLookalike("paypal.com")).isFalse();
        assertThat(FeatureExtractor.isLookalike("www.paypal.com")).isFalse();
        assertThat(FeatureExtractor.isLookalike("amazon.co.uk")).isFalse();
        assertThat(FeatureExtractor.isLookalike("acme-bank.example")).isFalse();
        assertThat(FeatureExtractor.isLookalike("groups.example")).isFalse();
        assertThat(FeatureExtractor.isLookalike("dmv.ny.gov")).isFalse();
        assertThat(FeatureExtractor.isLookalike("irs.gov.refund-claim.info")).isTrue();
    }

    @Test
    void governmentSitesAndBrandsOwnDomainsAreOfficial() {
        assertThat(FeatureExtractor.isOfficial("www.gov.uk")).isTrue();
        assertThat(FeatureExtractor.isOfficial("irs.gov")).isTrue();
        assertThat(FeatureExtractor.isOfficial("dmv.ca.gov")).isTrue();
        assertThat(FeatureExtractor.isOfficial("service.nsw.gov.au")).isTrue();
        assertThat(FeatureExtractor.isOfficial("paypal.com")).isTrue();
        assertThat(FeatureExtractor.isOfficial("amazon.co.uk")).isTrue();
        assertThat(FeatureExtractor.isOfficial("gov-uk-refund.top")).isFalse();
        assertThat(FeatureExtractor.isOfficial("irs.gov.cc")).isFalse();
        assertThat(FeatureExtractor.isOfficial("acme-bank.example")).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Congratulations! You have won a free prize. Claim now at prize-claim.top|"
                    + "C0ngratulati0ns! Y0u h4ve w0n a fr33 pr1ze. Cl4im n0w at prize-claim.top",
            "Congratulations! You have won a free prize. Claim now at prize-claim.top|"
                    + "C o n g r a t u l a t i o n s! You have won a F R E E prize. Claim now at prize-claim.top",
            "Your PayPal account is locked. Verify at paypal-check.top|"
                    + "\u0423\u043eur \u0420\u0430\u0443\u0420\u0430l \u0430cc\u043eunt is l\u043e\u0441k\u0435d. "
                    + "V\u0435rify \u0430t paypal-check.top",
            "You have won a prize! Call 09061701461|"
                    + "\uff39\uff4f\uff55 \uff48\uff41\uff56\uff45 \uff57\uff4f\uff4e \uff41 \uff50\uff52\uff49\uff5a\uff45! "
                    + "Call \uff10\uff19\uff10\uff16\uff11\uff17\uff10\uff11\uff14\uff16\uff11",
            "You have won! Claim your prize at prize-claim.top|"
                    + "Y\u200bo\u200bu h\u200ba\u200bv\u200be w\u200bo\u200bn! Claim your prize at prize-claim.top",
            "Special offer: 20% off|Sp3cial 0ffer: 20 percent off"})
    void disguisedSpamAndOffersAreDecidedLikeThePlainText(String plain, String disguised) {
        Classification plainDecision = classifier.classify(plain, Category.TRANSACTIONAL);
        Classification disguisedDecision = classifier.classify(disguised, Category.TRANSACTIONAL);

        assertThat(disguisedDecision.spam()).as(disguised).isEqualTo(plainDecision.spam());
        assertThat(disguisedDecision.category()).as(disguised).isEqualTo(plainDecision.category());
        assertThat(plainDecision.rule()).isNotEqualTo("declared");
    }
}
