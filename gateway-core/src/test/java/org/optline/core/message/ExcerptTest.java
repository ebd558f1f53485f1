package org.optline.core.message;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExcerptTest {
    @Test
    void aShortValueIsQuotedWithEveryDigitMasked() {
        assertThat(Excerpt.of("recipent")).isEqualTo("\"recipent\"");
        assertThat(Excerpt.of("+1 415 555 0123")).isEqualTo("\"+• ••• ••• ••••\"");
        assertThat(Excerpt.of("(415) 555-0123")).doesNotContainPattern("\\d");
    }

    @Test
    void aLongValueOrAKeyIsDescribedByItsLengthOnly() {
        assertThat(Excerpt.of("olk_Ab")).isEqualTo("a value of 6 characters");
        assertThat(Excerpt.of("OLP_x")).isEqualTo("a value of 5 characters");
        assertThat(Excerpt.of("x".repeat(25))).isEqualTo("a value of 25 characters");
    }

    @Test
    void quotesBackslashesAndControlCharactersCannotBreakOutOfTheQuotes() {
        assertThat(Excerpt.of("a\"b\\c\nd\u202Ee")).isEqualTo("\"a?b?c?d?e\"");
    }
}
