package org.optline.training;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.optline.core.classify.Classifier;
import org.optline.core.classify.ClassifierModel;
import org.optline.core.classify.Evaluation;
import org.optline.core.classify.LabelledText;

/**
 * Trains the classifier on the training part of the corpus, writes the model resource that
 * gateway-core ships, and prints the figures on the held-out part (the ones in
 * {@code docs/classifier.md}). {@code scripts/train-classifier.sh} runs it.
 *
 * <p>Usage: {@code TrainClassifier <training file> <held-out file> <model file> [--mistakes]
 * [--cross-validate]}.
 */
public final class TrainClassifier {
    private TrainClassifier() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: TrainClassifier <training file> <held-out file> <model file> [--mistakes]"
                    + " [--cross-validate]");
            System.exit(2);
        }
        ClassifierModel model = train(Path.of(args[0]));
        try (OutputStream out = Files.newOutputStream(Path.of(args[2]))) {
            model.write(out);
        }
        List<LabelledText> heldOut = read(Path.of(args[1]));
        Evaluation evaluation = Evaluation.of(new Classifier(model), heldOut);
        System.out.printf("model: %d weighted places, %d bytes on disk%n%n", model.usedPlaces(),
                Files.size(Path.of(args[2])));
        System.out.println(evaluation.markdown());
        List<String> options = List.of(args).subList(3, args.length);
        if (options.contains("--mistakes")) {
            evaluation.mistakes().forEach(System.out::println);
            System.out.println();
            evaluation.genuineChanged().forEach(System.out::println);
        }
        if (options.contains("--cross-validate")) {
            System.out.println(CrossValidation.report(read(Path.of(args[0]))));
        }
    }

    /** The model the training file gives; what the shipped resource must equal. */
    static ClassifierModel train(Path trainingFile) throws IOException {
        return LogisticRegression.train(read(trainingFile));
    }

    static List<LabelledText> read(Path file) throws IOException {
        return LabelledText.read(Files.newBufferedReader(file, StandardCharsets.UTF_8));
    }
}
