package org.optline.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.optline.core.classify.ClassifierModel;
import org.optline.core.classify.FeatureExtractor;
import org.optline.core.classify.FeatureSpace;
import org.optline.core.classify.Features;
import org.optline.core.classify.Label;
import org.optline.core.classify.LabelledText;
import org.optline.core.classify.Vocabulary;

/**
 * Trains the multinomial logistic regression the gateway ships: AdaGrad over the examples in a
 * seeded order, L2-regularised, each label weighted so that every label counts alike whatever
 * its share of the corpus. Deterministic: the same corpus gives the same model, bit for bit,
 * on any JVM (Java's float arithmetic is strict and the exponential is {@link StrictMath}'s).
 */
final class LogisticRegression {
    static final long SEED = 20_251_130L;
    /** Epochs, step and L2 as chosen by 5-fold cross-validation on the training part; they matter little. */
    static final int EPOCHS = 30;
    static final double LEARNING_RATE = 0.4;
    static final double L2 = 1e-6;
    /** Weights smaller than this are dropped: they decide nothing and would only fill the file. */
    static final double NEGLIGIBLE = 1e-3;
    /**
     * Chosen by 5-fold cross-validation on the training part (docs/classifier.md): spam at 0.45
     * keeps spam recall at 0.95 with under half a percent of genuine alerts refused; moving a
     * declared alert to MARKETING costs it its audience, so it needs 0.75; a declared alert
     * becomes a one-time code at 0.6, and only next to a code word.
     */
    static final ClassifierModel.Thresholds THRESHOLDS = new ClassifierModel.Thresholds(0.45f, 0.75f, 0.6f);

    private static final int LABELS = Label.values().length;

    private LogisticRegression() {}

    static ClassifierModel train(List<LabelledText> texts) {
        TreeSet<String> words = new TreeSet<>();
        for (LabelledText text : texts) {
            words.addAll(FeatureExtractor.plainWords(text.text()));
        }
        Vocabulary vocabulary = Vocabulary.of(words);
        FeatureExtractor extractor = new FeatureExtractor(vocabulary);
        List<Features> examples = new ArrayList<>(texts.size());
        int[] perLabel = new int[LABELS];
        for (LabelledText text : texts) {
            examples.add(extractor.extract(text.text()));
            perLabel[text.label().ordinal()]++;
        }
        double[] labelWeight = new double[LABELS];
        for (int l = 0; l < LABELS; l++) {
            labelWeight[l] = perLabel[l] == 0 ? 0 : (double) texts.size() / (LABELS * perLabel[l]);
        }

        double[] weights = new double[FeatureSpace.DIMENSION * LABELS];
        double[] squares = new double[weights.length];
        double[] bias = new double[LABELS];
        double[] biasSquares = new double[LABELS];
        int[] order = new int[texts.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Random random = new Random(SEED);
        double[] scores = new double[LABELS];
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
            for (int index : order) {
                Features features = examples.get(index);
                int truth = texts.get(index).label().ordinal();
                double max = Double.NEGATIVE_INFINITY;
                for (int l = 0; l < LABELS; l++) {
                    double score = bias[l];
                    for (int f = 0; f < features.count(); f++) {
                        score += weights[features.place(f) * LABELS + l] * features.value(f);
                    }
                    scores[l] = score;
                    max = Math.max(max, score);
                }
                double sum = 0;
                for (int l = 0; l < LABELS; l++) {
                    scores[l] = StrictMath.exp(scores[l] - max);
                    sum += scores[l];
                }
                for (int l = 0; l < LABELS; l++) {
                    double gradient = (scores[l] / sum - (l == truth ? 1 : 0)) * labelWeight[truth];
                    biasSquares[l] += gradient * gradient;
                    bias[l] -= LEARNING_RATE * gradient / (Math.sqrt(biasSquares[l]) + 1e-8);
                    for (int f = 0; f < features.count(); f++) {
                        int at = features.place(f) * LABELS + l;
                        double g = gradient * features.value(f) + L2 * weights[at];
                        squares[at] += g * g;
                        weights[at] -= LEARNING_RATE * g / (Math.sqrt(squares[at]) + 1e-8);
                    }
                }
            }
        }
        float[] rounded = new float[weights.length];
        for (int i = 0; i < weights.length; i++) {
            rounded[i] = Math.abs(weights[i]) < NEGLIGIBLE ? 0f : (float) weights[i];
        }
        float[] roundedBias = new float[LABELS];
        for (int l = 0; l < LABELS; l++) {
            roundedBias[l] = (float) bias[l];
        }
        return ClassifierModel.of(rounded, roundedBias, vocabulary, THRESHOLDS);
    }
}
