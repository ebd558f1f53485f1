package org.optline.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.optline.core.classify.Classifier;
import org.optline.core.classify.Evaluation;
import org.optline.core.classify.Label;
import org.optline.core.classify.LabelledText;

/**
 * Five-fold cross-validation on the training part alone: how the method does on texts it did not
 * train on, without looking at the held-out part. Thresholds and training settings are chosen
 * from these figures; the held-out figures only check the shipped model.
 */
final class CrossValidation {
    static final int FOLDS = 5;

    private CrossValidation() {}

    /** The mean figures over the folds, one line each. */
    static String report(List<LabelledText> training) {
        return report(training, false);
    }

    /** The mean figures over the folds, and with {@code mistakes} every text a fold got wrong. */
    static String report(List<LabelledText> training, boolean mistakes) {
        StringBuilder wrong = new StringBuilder();
        double macroF1 = 0;
        double spamRecall = 0;
        double genuineChanged = 0;
        int spamAsAlerts = 0;
        for (int fold = 0; fold < FOLDS; fold++) {
            List<LabelledText> learn = new ArrayList<>();
            List<LabelledText> check = new ArrayList<>();
            for (int i = 0; i < training.size(); i++) {
                (i % FOLDS == fold ? check : learn).add(training.get(i));
            }
            Evaluation evaluation = Evaluation.of(new Classifier(LogisticRegression.train(learn)), check);
            macroF1 += evaluation.macroF1();
            spamRecall += evaluation.recall(Label.SPAM);
            genuineChanged += evaluation.genuineChangedShare();
            spamAsAlerts += evaluation.spamPassedAsAlerts();
            if (mistakes) {
                evaluation.mistakes().forEach(line -> wrong.append("cross-validation: ").append(line).append('\n'));
                evaluation.genuineChanged().forEach(line -> wrong.append("cross-validation: ").append(line).append('\n'));
            }
        }
        return wrong + String.format(Locale.ROOT, "%d-fold cross-validation on the training part: macro-F1 %.3f; spam recall "
                        + "%.3f; spam labelled TRANSACTIONAL or AUTHENTICATION: %d of %d; genuine TRANSACTIONAL and "
                        + "AUTHENTICATION changed or refused: %.1f %%", FOLDS, macroF1 / FOLDS, spamRecall / FOLDS,
                spamAsAlerts, training.stream().filter(text -> text.label() == Label.SPAM).count(),
                100 * genuineChanged / FOLDS);
    }
}
