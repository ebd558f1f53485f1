package org.optline.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.optline.core.classify.ClassifierModel;
import org.optline.core.classify.LabelledText;

/**
 * The model gateway-core ships is exactly what training makes of the committed corpus, and the
 * committed split is exactly what the splitter makes of the raw corpus: nobody can ship a model
 * or a held-out file that the repository cannot reproduce.
 */
class ShippedModelTest {
    private static final Path CORPUS = Path.of("corpus");
    private static final Path HELD_OUT = Path.of("../gateway-core/src/test/resources/org/optline/core/classify/heldout.tsv");
    private static final Path SHIPPED = Path.of("../gateway-core/src/main/resources/org/optline/core/classify/model.bin");

    @Test
    void shippedModelIsWhatTrainingMakesOfTheTrainingPart() throws IOException {
        ClassifierModel trained = TrainClassifier.train(CORPUS.resolve("train.tsv"));
        ClassifierModel shipped;
        try (InputStream in = Files.newInputStream(SHIPPED)) {
            shipped = ClassifierModel.read(in);
        }

        assertThat(trained.content()).as("retrain with scripts/train-classifier.sh").isEqualTo(shipped.content());
    }

    @Test
    void trainingTwiceGivesTheSameModel() throws IOException {
        List<LabelledText> some = TrainClassifier.read(CORPUS.resolve("train.tsv")).subList(0, 300);

        assertThat(LogisticRegression.train(some).content()).isEqualTo(LogisticRegression.train(some).content());
    }

    @Test
    void committedSplitIsTheSplitOfTheRawCorpus() throws IOException {
        List<LabelledText> training = TrainClassifier.read(CORPUS.resolve("train.tsv"));
        List<LabelledText> heldOut = TrainClassifier.read(HELD_OUT);

        assertThat(training).noneMatch(text -> SplitCorpus.isHeldOut(text.text()));
        assertThat(heldOut).allMatch(text -> SplitCorpus.isHeldOut(text.text()));
        Set<String> split = new HashSet<>();
        training.forEach(text -> split.add(text.line()));
        heldOut.forEach(text -> split.add(text.line()));
        Set<String> raw = RawCorpus.read(CORPUS.resolve("raw")).stream().map(LabelledText::line)
                .collect(Collectors.toSet());
        assertThat(split).as("run scripts/train-classifier.sh --split after changing corpus/raw").isEqualTo(raw);
    }

    @Test
    void heldOutTextsNeverAppearInTraining() throws IOException {
        Set<String> trained = TrainClassifier.read(CORPUS.resolve("train.tsv")).stream()
                .map(text -> text.text().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());

        assertThat(TrainClassifier.read(HELD_OUT)).noneMatch(text -> trained.contains(text.text().toLowerCase(Locale.ROOT)));
    }

    @Test
    void everySourceIsDescribedInTheSourcesFile() throws IOException {
        String sources = Files.readString(CORPUS.resolve("SOURCES.md"));

        assertThat(RawCorpus.read(CORPUS.resolve("raw"))).allSatisfy(text ->
                assertThat(sources).as(text.source()).contains("`" + text.source() + "`"));
    }
}
