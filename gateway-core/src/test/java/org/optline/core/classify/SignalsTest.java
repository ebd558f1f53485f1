package org.optline.core.classify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The engineered signals that tell a scam dressed as an alert from the alert it imitates. */
class SignalsTest {
    private final FeatureExtractor extractor = new FeatureExtractor(Vocabulary.EMPTY);

    private boolean raises(String text, Signal signal) {
        return extractor.extract(text).has(signal);
    }

    @Test
    void aLinkToAGovernmentSiteOrTheBrandsOwnSiteIsOfficial() {
        assertThat(raises("Your vehicle tax expires soon. Renew at www.gov.uk/vehicle-tax", Signal.OFFICIAL_LINK)).isTrue();
        assertThat(raises("PayPal: you sent 31.50 USD. View details at paypal.com/activity", Signal.OFFICIAL_LINK)).isTrue();
        assertThat(raises("Your registration expires on 07/31. Renew at dmv.ca.gov", Signal.LOOKALIKE_DOMAIN)).isFalse();
        assertThat(raises("Your tax refund is ready at gov-uk-refund.top", Signal.OFFICIAL_LINK)).isFalse();
    }

    @Test
    void aLinkThatIsNotTheNamedBrandsSiteIsNoticed() {
        assertThat(raises("Netflix: payment failed, update it at account-hold-billing.com", Signal.LINK_NOT_THE_BRANDS)).isTrue();
        assertThat(raises("Netflix: your payment was processed. See netflix.com/account", Signal.LINK_NOT_THE_BRANDS)).isFalse();
        assertThat(raises("Verizon: your bill is ready. View at vzw.com/mybill", Signal.LINK_NOT_THE_BRANDS)).isFalse();
    }

    @Test
    void aNumberToCallAboutAChargeYouDidNotMakeIsNoticed() {
        String scam = "A charge of $499.00 was made. If you did not make this purchase call 1-888-555-0143.";
        assertThat(raises(scam, Signal.NOT_YOU)).isTrue();
        assertThat(raises(scam, Signal.NOT_YOU_AND_PHONE)).isTrue();
        assertThat(raises("Unauthorised sign-in? Secure your account at secure-login.example", Signal.NOT_YOU_AND_LINK)).isTrue();
        assertThat(raises("Your order has shipped and will arrive on Friday.", Signal.NOT_YOU)).isFalse();
    }

    @Test
    void aCodesOwnWarningIsNoticed() {
        assertThat(raises("Your code is 123456. Do not share it with anyone.", Signal.DO_NOT_SHARE)).isTrue();
        assertThat(raises("Your code is 123456. Don't share it.", Signal.DO_NOT_SHARE)).isTrue();
        assertThat(raises("Share your photos with friends.", Signal.DO_NOT_SHARE)).isFalse();
    }

    @Test
    void codeWordsInChineseJapaneseAndKoreanAreRecognised() {
        assertThat(extractor.extract("您的验证码是 552019").hasCodeNextToCodeWord()).isTrue();
        assertThat(extractor.extract("確認コードは 330912 です").hasCodeNextToCodeWord()).isTrue();
        assertThat(extractor.extract("인증번호는 220914 입니다").hasCodeNextToCodeWord()).isTrue();
    }

    @Test
    void freeOfChargeIsNoPrize() {
        assertThat(raises("Rebook free of charge at easyjet.com", Signal.PRIZE)).isFalse();
        assertThat(raises("You won a free cruise", Signal.PRIZE)).isTrue();
    }
}
