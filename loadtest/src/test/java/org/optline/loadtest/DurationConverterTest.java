package org.optline.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {
    private final DurationConverter converter = new DurationConverter();

    @Test
    void readsDurationsAsPeopleTypeThem() {
        assertThat(converter.convert("120")).isEqualTo(Duration.ofSeconds(120));
        assertThat(converter.convert("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(converter.convert("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(converter.convert("1H")).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void refusesAnythingElse() {
        assertThatThrownBy(() -> converter.convert("soon")).isInstanceOf(TypeConversionException.class);
        assertThatThrownBy(() -> converter.convert("-5s")).isInstanceOf(TypeConversionException.class);
        assertThatThrownBy(() -> converter.convert("1.5s")).isInstanceOf(TypeConversionException.class);
    }

    @Test
    void formatsWholeSecondsInSecondsAndTheRestInMilliseconds() {
        assertThat(DurationConverter.format(Duration.ofMinutes(2))).isEqualTo("120s");
        assertThat(DurationConverter.format(Duration.ofMillis(1_500))).isEqualTo("1500ms");
    }
}
