package org.optline.core.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.optline.core.message.Category;

class TemplateTest {

    private static Template template(String text) {
        return new Template("t", Category.TRANSACTIONAL, text);
    }

    @Test
    void parameterCountIsTheHighestPlaceholder() {
        assertThat(template("Your balance is {{1}}").parameterCount()).isEqualTo(1);
        assertThat(template("Flight {{1}} now leaves at {{2}} from gate {{3}}").parameterCount()).isEqualTo(3);
        assertThat(template("{{2}} before {{1}}").parameterCount()).isEqualTo(2);
        assertThat(template("{{1}} and {{1}} again").parameterCount()).isEqualTo(1);
    }

    @Test
    void textWithoutPlaceholdersTakesNoParameters() {
        Template fixed = template("Your card has been shipped.");

        assertThat(fixed.parameterCount()).isZero();
        assertThat(fixed.render(List.of())).isEqualTo("Your card has been shipped.");
    }

    @Test
    void renderReplacesEveryPlaceholderByNumber() {
        assertThat(template("Your balance is {{1}} on {{2}}").render(List.of("$10.00", "1 March")))
                .isEqualTo("Your balance is $10.00 on 1 March");
        assertThat(template("{{2}}, {{1}}; {{2}}!").render(List.of("one", "two")))
                .isEqualTo("two, one; two!");
    }

    @Test
    void renderTakesParametersLiterally() {
        assertThat(template("Pay {{1}} to {{2}}").render(List.of("$1 \\0", "{{1}}")))
                .isEqualTo("Pay $1 \\0 to {{1}}");
    }

    @Test
    void gapInPlaceholdersIsRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> template("{{1}} then {{3}}"))
                .withMessageContaining("{{2}}");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> template("Only {{2}}"))
                .withMessageContaining("{{1}}");
    }

    @Test
    void placeholderZeroIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> template("Hello {{0}}"));
    }

    @Test
    void bracesThatAreNotPlaceholdersAreLeftAlone() {
        Template t = template("Use {code} or {{x}} or {{1}}");

        assertThat(t.parameterCount()).isEqualTo(1);
        assertThat(t.render(List.of("A"))).isEqualTo("Use {code} or {{x}} or A");
    }
}
