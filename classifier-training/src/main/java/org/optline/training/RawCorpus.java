package org.optline.training;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.optline.core.classify.Label;
import org.optline.core.classify.LabelledText;

/**
 * The corpus as people write it: one file per label ({@code corpus/raw/spam.txt}), one message
 * per line, and {@code @source id} lines saying where the messages below them come from (the
 * ids are explained in {@code corpus/SOURCES.md}). Lines starting with {@code #} are comments.
 */
final class RawCorpus {
    private RawCorpus() {}

    static List<LabelledText> read(Path directory) throws IOException {
        List<LabelledText> texts = new ArrayList<>();
        for (Label label : Label.values()) {
            Path file = directory.resolve(label.name().toLowerCase(Locale.ROOT) + ".txt");
            String source = null;
            int number = 0;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                number++;
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                if (trimmed.startsWith("@source ")) {
                    source = trimmed.substring("@source ".length()).strip();
                    continue;
                }
                if (source == null) {
                    throw new IOException(file + ":" + number + ": a message before any @source line");
                }
                if (trimmed.contains("\t")) {
                    throw new IOException(file + ":" + number + ": a tab inside a message");
                }
                texts.add(new LabelledText(label, source, trimmed));
            }
        }
        return texts;
    }
}
