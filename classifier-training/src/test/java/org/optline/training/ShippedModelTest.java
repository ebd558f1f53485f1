package org.optline.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.optline.core.classify.ClassifierModel;
import org.optline.core.classify.LabelledText;

/**
 * The model gateway-core ships is exactly what training makes of the committed corpus, and the
 * committed split is exactly what the splitter makes of the raw and real corpus: nobody can ship a
 * model or a held-out file that the repository cannot reproduce, and no text of the external
 * evaluation set has a near-duplicate in training.
 */
class ShippedModelTest {
    private static final Path CORPUS = Path.of("corpus");
    private static final Path HELD_OUT = Path.of("../gateway-core/src/test/resources/org/optline/core/classify/heldout.tsv");
    private static final Path REAL_HELD_OUT =
            Path.of("../gateway-core/src/test/resources/org/optline/core/classify/real-heldout.tsv");
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
        SplitCorpus.Split split = SplitCorpus.split(RawCorpus.read(CORPUS.resolve("raw")),
                RawCorpus.read(CORPUS.resolve("real")));

        String again = "run scripts/train-classifier.sh --split after changing corpus/raw or corpus/real";
        assertThat(lines(TrainClassifier.read(CORPUS.resolve("train.tsv")))).as(again).isEqualTo(lines(split.training()));
        assertThat(lines(TrainClassifier.read(HELD_OUT))).as(again).isEqualTo(lines(split.heldOut()));
        assertThat(lines(TrainClassifier.read(REAL_HELD_OUT))).as(again).isEqualTo(lines(split.realHeldOut()));
        assertThat(TrainClassifier.read(HELD_OUT)).allMatch(text -> SplitCorpus.isHeldOut(text.text()));
    }

    @Test
    void realHeldOutTextsHaveNoNearDuplicateInTraining() throws IOException {
        List<LabelledText> training = TrainClassifier.read(CORPUS.resolve("train.tsv"));
        List<long[]> trainingGrams = training.stream().map(text -> SplitCorpus.shingles(text.text())).toList();

        assertThat(TrainClassifier.read(REAL_HELD_OUT)).hasSizeGreaterThan(400).allSatisfy(held -> {
            long[] grams = SplitCorpus.shingles(held.text());
            for (int i = 0; i < training.size(); i++) {
                assertThat(SplitCorpus.similarity(grams, trainingGrams.get(i)))
                        .as("\"%s\" reads like the training text \"%s\"", held.text(), training.get(i).text())
                        .isLessThan(SplitCorpus.NEAR_DUPLICATE);
            }
        });
    }

    @Test
    void nearDuplicatesAreOneFamily() {
        assertThat(SplitCorpus.similarity("Your Uber code is 1808. Never share this code.",
                "Your Uber code is 7866. Never share this code.")).isEqualTo(1.0);
        assertThat(SplitCorpus.similarity("Call MobileUpd8 on 08000839402 or call2optout/F4Q= Double Mins & 1000 Txt",
                "Call MobileUpd8 on 08000839402 or call2optout/HF8 Double Mins & 1000 txts")).isGreaterThan(0.7);
        assertThat(SplitCorpus.similarity("Your Uber code is 1808. Never share this code.",
                "Your parcel is out for delivery today between 10:00 and 12:00.")).isLessThan(0.2);
    }

    private static Set<String> lines(List<LabelledText> texts) {
        return texts.stream().map(LabelledText::line).collect(Collectors.toSet());
    }

    @Test
    void heldOutTextsNeverAppearInTraining() throws IOException {
        Set<String> trained = TrainClassifier.read(CORPUS.resolve("train.tsv")).stream()
                .map(text -> text.text().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());

        assertThat(TrainClassifier.read(HELD_OUT)).noneMatch(text -> trained.contains(text.text().toLowerCase(Locale.ROOT)));
        assertThat(TrainClassifier.read(REAL_HELD_OUT))
                .noneMatch(text -> trained.contains(text.text().toLowerCase(Locale.ROOT)));
    }

    @Test
    void everySourceIsDescribedInTheSourcesFile() throws IOException {
        String sources = Files.readString(CORPUS.resolve("SOURCES.md"));

        assertThat(RawCorpus.read(CORPUS.resolve("raw"))).allSatisfy(text ->
                assertThat(sources).as(text.source()).contains("`" + text.source() + "`"));
        assertThat(RawCorpus.read(CORPUS.resolve("real"))).allSatisfy(text ->
                assertThat(sources).as(text.source()).contains("`" + text.source() + "`"));
    }
}
