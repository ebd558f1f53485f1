package org.optline.core.classify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The quality gate: the shipped model on the held-out part of the corpus, which training never
 * reads, must reach the targets of docs/classifier.md. Deterministic: same model, same file,
 * same figures; a retrained model that falls short fails the build.
 */
class ClassifierQualityGateTest {
    private static Evaluation evaluation;

    @BeforeAll
    static void evaluateTheShippedModelOnTheHeldOutPart() throws IOException {
        List<LabelledText> heldOut;
        try (var in = ClassifierQualityGateTest.class.getResourceAsStream("heldout.tsv")) {
            heldOut = LabelledText.read(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        assertThat(heldOut).hasSizeGreaterThan(300);
        evaluation = Evaluation.of(new Classifier(), heldOut);
    }

    @Test
    void everyLabelIsRepresented() {
        for (Label label : Label.values()) {
            assertThat(evaluation.total(label)).as(label.name()).isGreaterThanOrEqualTo(40);
        }
    }

    @Test
    void macroF1IsAtLeast093() {
        assertThat(evaluation.macroF1()).as(evaluation.markdown()).isGreaterThanOrEqualTo(0.93);
    }

    @Test
    void spamRecallIsAtLeast095() {
        assertThat(evaluation.recall(Label.SPAM)).as(evaluation.markdown()).isGreaterThanOrEqualTo(0.95);
        assertThat(evaluation.spamRefusedShare()).as("spam declared TRANSACTIONAL and refused")
                .isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void noSpamIsLabelledAnAlertOrACode() {
        assertThat(evaluation.spamPassedAsAlerts()).as(String.join("\n", evaluation.mistakes())).isZero();
    }

    @Test
    void atMostOnePercentOfGenuineAlertsAndCodesAreChangedOrRefused() {
        assertThat(evaluation.genuineChangedShare()).as(String.join("\n", evaluation.genuineChanged()))
                .isLessThanOrEqualTo(0.01);
    }
}
