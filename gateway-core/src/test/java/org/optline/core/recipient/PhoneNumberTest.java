package org.optline.core.recipient;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class PhoneNumberTest {

    @Test
    void validE164ParsesAndKeepsTheNumber() {
        assertThat(PhoneNumber.parse("+14155550123")).map(PhoneNumber::e164).contains("+14155550123");
        assertThat(PhoneNumber.parse("+447911123456")).map(PhoneNumber::e164).contains("+447911123456");
    }

    @ParameterizedTest
    @ValueSource(strings = {"+1 415 555 0123", "+1-415-555-0123", "+1 (415) 555-0123", "+1.415.555.0123"})
    void internationalFormWithSeparatorsIsNormalizedToE164(String input) {
        assertThat(PhoneNumber.parse(input)).map(PhoneNumber::e164).contains("+14155550123");
    }

    @Test
    void numbersThatNormalizeAlikeAreEqual() {
        PhoneNumber compact = PhoneNumber.parse("+14155550123").orElseThrow();
        PhoneNumber spaced = PhoneNumber.parse("+1 415 555 0123").orElseThrow();

        assertThat(spaced).isEqualTo(compact).hasSameHashCodeAs(compact);
        assertThat(PhoneNumber.parse("+14155550124").orElseThrow()).isNotEqualTo(compact);
    }

    @ParameterizedTest
    @ValueSource(strings = {"14155550123", "4155550123", "0014155550123", " +14155550123", "(415) 555-0123"})
    void numberWithoutLeadingPlusIsRefused(String input) {
        assertThat(PhoneNumber.parse(input)).isEmpty();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"+", "abc", "+abc", "not a number", "+1-CALL-ME", "+0 415 555 0123", "tel:+14155550123",
            "+14155550123zzz"})
    void garbageIsRefused(String input) {
        assertThat(PhoneNumber.parse(input)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"+1415555012", "+141555501234", "+12345", "+4479111234567", "+1415555012345678901"})
    void wrongLengthForItsCountryIsRefused(String input) {
        assertThat(PhoneNumber.parse(input)).isEmpty();
    }

    @Test
    void inputLongerThan32CharactersIsRefusedEvenWhenItHoldsAValidNumber() {
        String padded = "+1 415 555 0123" + " ".repeat(18);
        assertThat(padded).hasSizeGreaterThan(32);
        assertThat(PhoneNumber.parse(padded)).isEmpty();
        assertThat(PhoneNumber.parse("+1" + "4".repeat(40))).isEmpty();
    }

    @Test
    void maskedFormKeepsCountryAndAreaAndLastFourDigits() {
        PhoneNumber number = PhoneNumber.parse("+14155550123").orElseThrow();

        assertThat(number.masked()).isEqualTo("+1415•••0123");
        assertThat(PhoneNumber.parse("+447911123456").orElseThrow().masked()).isEqualTo("+4479•••3456");
    }

    @Test
    void toStringNeverContainsTheFullNumber() {
        PhoneNumber number = PhoneNumber.parse("+1 415 555 0123").orElseThrow();

        assertThat(number.toString())
                .isEqualTo("+1415•••0123")
                .doesNotContain("+14155550123")
                .doesNotContain("5550123");
    }

    @Test
    void maskHidesShortOrMissingInputEntirely() {
        assertThat(PhoneNumber.mask(null)).isEqualTo("•••");
        assertThat(PhoneNumber.mask("+12345")).isEqualTo("•••");
        assertThat(PhoneNumber.mask("+12345678")).isEqualTo("+12•••678");
    }

    @Test
    void shortNumbersStillHideThreeDigits() {
        assertThat(PhoneNumber.parse("+298212345").orElseThrow().masked()).isEqualTo("+298•••345");
        assertThat(PhoneNumber.parse("+4930123456").orElseThrow().masked()).isEqualTo("+493•••3456");
    }
}
