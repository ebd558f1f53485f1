package org.optline.core.classify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The quality gate on real messages: the shipped model on the external evaluation set
 * ({@code real-heldout.tsv}: public data sets and quoted examples that no one on the team wrote,
 * never trained on, with no near-duplicate in training) must do at least as well as
 * docs/classifier.md says it does. The model does not reach the targets on these texts;
 * the thresholds are what it reaches, rounded down a little, so that a retrained model that does
 * worse on real texts fails the build. Deterministic: same model, same file, same figures.
 */
class RealTextsQualityGateTest {
    private static Evaluation evaluation;

    @BeforeAll
    static void evaluateTheShippedModelOnRealMessages() throws IOException {
        List<LabelledText> real;
        try (var in = RealTextsQualityGateTest.class.getResourceAsStream("real-heldout.tsv")) {
            real = LabelledText.read(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        assertThat(real).hasSizeGreaterThan(400);
        evaluation = Evaluation.of(new Classifier(), real);
    }

    @Test
    void everyLabelIsRepresented() {
        for (Label label : Label.values()) {
            assertThat(evaluation.total(label)).as(label.name()).isGreaterThanOrEqualTo(10);
        }
    }

    @Test
    void macroF1IsAtLeast086() {
        assertThat(evaluation.macroF1()).as(evaluation.markdown()).isGreaterThanOrEqualTo(0.86);
    }

    @Test
    void spamRecallIsAtLeast095() {
        assertThat(evaluation.recall(Label.SPAM)).as(evaluation.markdown()).isGreaterThanOrEqualTo(0.95);
        assertThat(evaluation.spamRefusedShare()).as("spam declared TRANSACTIONAL and refused")
                .isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void atMostOnePointFivePercentOfSpamIsLabelledAnAlertOrACode() {
        assertThat((double) evaluation.spamPassedAsAlerts() / evaluation.total(Label.SPAM))
                .as(String.join("\n", evaluation.mistakes())).isLessThanOrEqualTo(0.015);
    }

    @Test
    void noGenuineAlertOrCodeIsChangedOrRefused() {
        assertThat(evaluation.genuineChangedShare()).as(String.join("\n", evaluation.genuineChanged()))
                .isEqualTo(0.0);
    }
}
