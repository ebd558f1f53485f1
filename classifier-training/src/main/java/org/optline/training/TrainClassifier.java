package org.optline.training;

import java.io.IOException;
import java.io.InputStream;
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
 * gateway-core ships, and prints the figures on the two evaluation sets (the ones in
 * {@code docs/classifier.md}): the held-out part of the team-written corpus and the external set
 * of real messages. {@code scripts/train-classifier.sh} runs it.
 *
 * <p>Usage: {@code TrainClassifier <training file> <held-out file> <real held-out file> <model file>
 * [--mistakes] [--cross-validate] [--evaluate-only]}; with {@code --evaluate-only} the model file
 * is read, not trained and written.
 */
public final class TrainClassifier {
    private TrainClassifier() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 4) {
            System.err.println("usage: TrainClassifier <training file> <held-out file> <real held-out file> <model file>"
                    + " [--mistakes] [--cross-validate] [--evaluate-only]");
            System.exit(2);
        }
        List<String> options = List.of(args).subList(4, args.length);
        Path modelFile = Path.of(args[3]);
        ClassifierModel model;
        if (options.contains("--evaluate-only")) {
            try (InputStream in = Files.newInputStream(modelFile)) {
                model = ClassifierModel.read(in);
            }
        } else {
            model = train(Path.of(args[0]));
            try (OutputStream out = Files.newOutputStream(modelFile)) {
                model.write(out);
            }
        }
        System.out.printf("model: %d weighted places, %d bytes on disk%n", model.usedPlaces(), Files.size(modelFile));
        Classifier classifier = new Classifier(model);
        report("held-out part of the team-written corpus", Evaluation.of(classifier, read(Path.of(args[1]))), options);
        report("external evaluation set of real messages", Evaluation.of(classifier, read(Path.of(args[2]))), options);
        if (options.contains("--cross-validate")) {
            System.out.println(CrossValidation.report(read(Path.of(args[0])), options.contains("--mistakes")));
        }
    }

    private static void report(String what, Evaluation evaluation, List<String> options) {
        System.out.printf("%n## %s%n%n", what);
        System.out.println(evaluation.markdown());
        if (options.contains("--mistakes")) {
            evaluation.mistakes().forEach(System.out::println);
            System.out.println();
            evaluation.genuineChanged().forEach(System.out::println);
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
